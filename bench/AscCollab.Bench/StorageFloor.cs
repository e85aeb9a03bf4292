using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscCollab.Runtime;
using AscCollab.Storage.AzureTable;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Bench;

/// <summary>
/// The storage floor: N sequential entity-group batches of one op row plus the proposal's state
/// row, written through the same Azure Table provider the proposal grain uses, on the core the
/// server runs on. No edit can be acknowledged faster than one such batch.
/// A second series adds the audit row the grain also appends per edit (op + audit + state).
/// </summary>
internal static class StorageFloor
{
    public const string WorkerCommand = "storage-floor-worker";

    /// <summary>Runs the worker in its own process pinned like the server, and returns its figures.</summary>
    public static async Task<JsonObject> RunAsync(string storage, int warmup, int batches, string initialText, bool pin, string logFolder, CancellationToken cancellationToken)
    {
        var self = typeof(StorageFloor).Assembly.Location;
        var textPath = Path.Combine(logFolder, "floor-text.txt");
        await File.WriteAllTextAsync(textPath, initialText, cancellationToken);
        string? result = null;
        var taskset = pin ? "taskset -c 0 " : "";
        var command = $"exec {taskset}dotnet '{self}' {WorkerCommand} {warmup} {batches} '{textPath}'";
        using var worker = ChildProcess.Start(command, RepoPaths.Root, new Dictionary<string, string> { ["ASCCOLLAB_STORAGE"] = storage },
            Path.Combine(logFolder, "storage-floor.log"), line =>
            {
                if (line.StartsWith("RESULT ", StringComparison.Ordinal))
                {
                    result = line["RESULT ".Length..];
                }
            });
        if (!await worker.WaitForExitAsync(TimeSpan.FromMinutes(5), cancellationToken) || worker.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench: the storage floor worker failed; log: {worker.LogPath}");
        }
        for (var i = 0; i < 50 && result is null; i++)
        {
            await Task.Delay(20, cancellationToken);
        }
        return JsonNode.Parse(result ?? throw new InvalidOperationException($"bench: the storage floor printed no result; log: {worker.LogPath}"))!.AsObject();
    }

    public static async Task<int> RunWorkerAsync(string[] args)
    {
        var warmup = int.Parse(args[0], CultureInfo.InvariantCulture);
        var batches = int.Parse(args[1], CultureInfo.InvariantCulture);
        var initialText = await File.ReadAllTextAsync(args[2]);
        var connection = Environment.GetEnvironmentVariable("ASCCOLLAB_STORAGE") ?? throw new InvalidOperationException("ASCCOLLAB_STORAGE is not set.");

        var services = new ServiceCollection();
        services.AddGrainRuntime().AddAzureTableGrainStorage("floor", o =>
        {
            o.ConnectionString = connection;
            o.TablePrefix = "benchfloor";
            // A retry would hide the latency being measured.
            o.MaxAttempts = 1;
        });
        await using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredKeyedService<IGrainStorage>("floor");

        var opOnly = await SeriesAsync(storage, new GrainId("proposal", "bench-floor-op"), initialText, warmup, batches, withAudit: false);
        var withAudit = await SeriesAsync(storage, new GrainId("proposal", "bench-floor-audit"), initialText, warmup, batches, withAudit: true);
        // For comparison only: the state row alone, a single Replace rather than an entity-group batch.
        var stateOnly = await SeriesAsync(storage, new GrainId("proposal", "bench-floor-state"), initialText, warmup, batches, withAudit: false, withOp: false);
        Console.WriteLine("RESULT " + new JsonObject { ["opAndState"] = opOnly, ["opAuditAndState"] = withAudit, ["stateOnly"] = stateOnly }.ToJsonString());
        return 0;
    }

    private static async Task<JsonObject> SeriesAsync(IGrainStorage storage, GrainId grain, string initialText, int warmup, int batches, bool withAudit, bool withOp = true)
    {
        var random = new Random(42);
        var state = FloorState.Create(initialText);
        var json = JsonSerializer.Serialize(state, GrainJson.Options);
        var etag = await storage.WriteStateAsync(grain, "state", json, null, [], CancellationToken.None);
        var latencies = new List<double>(batches);
        var stateBytes = 0;
        var clock = Stopwatch.StartNew();
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < warmup + batches; i++)
        {
            // The edit the typing workload makes: one character at a random position.
            var position = random.Next(state.Text.Length + 1);
            var revision = state.Revision + 1;
            var op = position == 0 ? new JsonArray("x") : new JsonArray(position, "x");
            state = state with { Text = state.Text.Insert(position, "x"), TextLength = state.TextLength + 1, Revision = revision, UpdatedAt = DateTimeOffset.UtcNow, AuditSequence = revision };
            json = JsonSerializer.Serialize(state, GrainJson.Options);
            stateBytes = json.Length;
            var rows = new List<LogEntry>();
            if (withOp)
            {
                rows.Add(new("op", revision, new JsonObject { ["member"] = "MY", ["at"] = DateTimeOffset.UtcNow, ["op"] = op }.ToJsonString()));
            }
            if (withAudit)
            {
                rows.Add(new("audit", revision, JsonSerializer.Serialize(new
                {
                    sequence = revision, at = DateTimeOffset.UtcNow, member = "MY", role = "Delegate", action = "edit",
                    detail = "op sha256 " + new string('a', 64), revision, prevHash = new string('b', 64), hash = new string('c', 64),
                }, GrainJson.Options)));
            }

            var cpuBefore = Environment.CpuUsage.TotalTime;
            var started = Stopwatch.GetTimestamp();
            etag = await storage.WriteStateAsync(grain, "state", json, etag, rows, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= warmup)
            {
                latencies.Add(elapsed);
                cpu += Environment.CpuUsage.TotalTime - cpuBefore;
            }
        }
        var summary = Percentiles.Of(latencies);
        summary["stateJsonBytes"] = stateBytes;
        summary["batchesPerSecond"] = (warmup + batches) / clock.Elapsed.TotalSeconds;
        // What one batch costs the writing process (the SDK's request building, HTTP, response parsing): the server pays it per group commit.
        summary["clientCpuMicrosPerBatch"] = Math.Round(cpu.TotalMicroseconds / batches, 0);
        return summary;
    }

    /// <summary>The shape of the proposal's state row (ProposalState, camelCase): what the grain writes per batch.</summary>
    private sealed record FloorState(
        bool Created, string Title, string Activity, string Component, string? Group, string? Coordinator,
        IReadOnlyList<string> GroupParticipants, string Proposer, string Text, int TextLength, long Revision, long TextChangedAt,
        string Level, string Status, object? Rule, DateTimeOffset? Deadline, bool DeadlineElapsed, bool SilenceBroken,
        IReadOnlyList<string> Participants, IReadOnlyList<object> SignOffs, IReadOnlyList<object> GroupSignOffs, bool Recommended,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AdoptedAt, long AuditSequence, string AuditHead)
    {
        public static FloorState Create(string text) => new(
            true, "Benchmark draft", "a1-1", "political-development", null, null, [], "MY", text, text.Length, 0, 0,
            "AllMembers", "Drafting", null, null, false, false, ServerApi.Members, [], [], false,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, 0, new string('0', 64));
    }
}
