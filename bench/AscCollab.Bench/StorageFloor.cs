using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AscCollab.Storage;
using AscCollab.Storage.AzureTable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

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
    public static async Task<JsonObject> RunAsync(string storage, BenchOptions options, string initialText, string logFolder, CancellationToken cancellationToken)
    {
        var self = typeof(StorageFloor).Assembly.Location;
        var textPath = Path.Combine(logFolder, "floor-text.txt");
        await File.WriteAllTextAsync(textPath, initialText, cancellationToken);
        string? result = null;
        var taskset = options.Pin ? "taskset -c 0 " : "";
        // The typing workload's pre-warm (10 clients, one edit per 25 ms after each ack) leaves about
        // 10 × 1000 / 36 edits per second of it in Azurite (8,319 in a 30 s run): a larger database
        // makes Azurite's periodic save of it longer, so the arrivals below start on as much data.
        var prefill = (int)(options.PrewarmSeconds * 10 * 1000.0 / 36);
        var typing = string.Create(CultureInfo.InvariantCulture, $"{options.TypingClients} {options.TypingRate} {options.WarmupSeconds} {options.TypingSeconds} {prefill}");
        var command = $"exec {taskset}dotnet '{self}' {WorkerCommand} {options.StorageWarmup} {options.StorageBatches} '{textPath}' {typing}";
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
        var typing = new TypingArrivals(
            int.Parse(args[3], CultureInfo.InvariantCulture), double.Parse(args[4], CultureInfo.InvariantCulture),
            int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture), int.Parse(args[7], CultureInfo.InvariantCulture));
        var connection = Environment.GetEnvironmentVariable("ASCCOLLAB_STORAGE") ?? throw new InvalidOperationException("ASCCOLLAB_STORAGE is not set.");

        var services = new ServiceCollection();
        // The same registration the server's proposal storage goes through (GrainHosting.AddGrains), with no silo around it.
        services.AddAzureTableLogStorage("floor", o =>
        {
            o.ConnectionString = connection;
            o.TablePrefix = "benchfloor";
            // A retry would hide the latency being measured.
            o.MaxAttempts = 1;
        });
        await using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredKeyedService<ILogStorage>("floor");

        // typing-fresh's floor first, while this Azurite holds nothing else: the same arrivals with no pre-warm data.
        var underTypingFresh = await TypingArrivalsAsync(storage, Grain("bench-floor-typing-fresh"), initialText, typing with { PrefillEdits = 0 });
        var opOnly = await SeriesAsync(storage, Grain("bench-floor-op"), initialText, warmup, batches, withAudit: false);
        var withAudit = await SeriesAsync(storage, Grain("bench-floor-audit"), initialText, warmup, batches, withAudit: true);
        // For comparison only: the state row alone, a single Replace rather than an entity-group batch.
        var stateOnly = await SeriesAsync(storage, Grain("bench-floor-state"), initialText, warmup, batches, withAudit: false, withOp: false);
        var underTyping = await TypingArrivalsAsync(storage, Grain("bench-floor-typing"), initialText, typing);
        Console.WriteLine("RESULT " + new JsonObject
        {
            ["opAndState"] = opOnly, ["opAuditAndState"] = withAudit, ["stateOnly"] = stateOnly, ["typingArrivals"] = underTyping, ["typingArrivalsFresh"] = underTypingFresh,
        }.ToJsonString());
        return 0;
    }

    private static async Task<JsonObject> SeriesAsync(ILogStorage storage, GrainId grain, string initialText, int warmup, int batches, bool withAudit, bool withOp = true)
    {
        var random = new Random(42);
        var (state, textRow) = FloorState.Create(initialText).WithTextRow();
        var json = JsonSerializer.Serialize(state, StateJson.Options);
        var etag = await storage.WriteStateAsync(grain, "state", json, null, [textRow!], CancellationToken.None);
        var latencies = new List<double>(batches);
        var stateBytes = 0;
        var clock = Stopwatch.StartNew();
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < warmup + batches; i++)
        {
            (state, var op) = Edit(state, random);
            var revision = state.Revision;
            (state, textRow) = state.WithTextRow();
            json = JsonSerializer.Serialize(state, StateJson.Options);
            stateBytes = json.Length;
            var rows = new List<LogEntry>();
            if (textRow is not null)
            {
                rows.Add(textRow);
            }
            if (withOp)
            {
                rows.Add(new("op", revision, op));
            }
            if (withAudit)
            {
                rows.Add(new("audit", revision, AuditRecord(revision)));
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

    /// <summary>
    /// The storage under the typing workload's arrivals, with no server: N writers' one-character
    /// edits at their fixed period and random phase (as load.mjs makes them), open loop, through
    /// one sequencer that writes everything that has arrived as one batch — one op row and one
    /// audit row holding all its edits, plus the state row, as the proposal grain does — while
    /// the next arrivals queue behind the write in flight. Latency is from an edit's due time to
    /// the end of the write that holds it: what a server that adds nothing would acknowledge at.
    /// First, as many edits as the typing workload's pre-warm leaves in Azurite go to another partition.
    /// </summary>
    private static async Task<JsonObject> TypingArrivalsAsync(ILogStorage storage, GrainId grain, string initialText, TypingArrivals typing)
    {
        var random = new Random(7);
        var period = 1000.0 / typing.Rate;
        var total = typing.WarmupSeconds + typing.Seconds;
        var due = new List<double>();
        for (var c = 0; c < typing.Clients; c++)
        {
            for (var at = random.NextDouble() * period; at < total * 1000.0; at += period)
            {
                due.Add(at);
            }
        }
        due.Sort();

        await PrefillAsync(storage, Grain(grain.Key.ToString() + "-prewarm"), initialText, typing.PrefillEdits, random);
        var (state, textRow) = FloorState.Create(initialText).WithTextRow();
        var etag = await storage.WriteStateAsync(grain, "state", JsonSerializer.Serialize(state, StateJson.Options), null, [textRow!], CancellationToken.None);
        var latencies = new List<double>(due.Count);
        int writes = 0, measuredWrites = 0, measuredEdits = 0;
        var slow = new JsonArray();
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (next < due.Count)
        {
            var waitMs = due[next] - clock.Elapsed.TotalMilliseconds;
            if (waitMs > 2)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs - 1.5));
            }
            while (clock.Elapsed.TotalMilliseconds < due[next])
            {
                Thread.SpinWait(50);
            }
            var now = clock.Elapsed.TotalMilliseconds;
            var first = next;
            while (next < due.Count && due[next] <= now)
            {
                next++;
            }
            var writeStarted = clock.Elapsed.TotalMilliseconds;
            (state, etag) = await WriteEditsAsync(storage, grain, state, etag, next - first, random);
            var done = clock.Elapsed.TotalMilliseconds;
            writes++;
            if (done - writeStarted > SlowWriteMs && slow.Count < 40)
            {
                // Azurite's saves of its whole database (every 5 s) and the write after each: where the tail comes from.
                slow.Add(new JsonArray(Math.Round(writeStarted / 1000.0, 2), Math.Round(done - writeStarted, 1), next - first));
            }
            var measured = false;
            for (var i = first; i < next; i++)
            {
                if (due[i] >= typing.WarmupSeconds * 1000.0)
                {
                    latencies.Add(done - due[i]);
                    measured = true;
                    measuredEdits++;
                }
            }
            measuredWrites += measured ? 1 : 0;
        }
        var summary = Percentiles.Of(latencies);
        summary["writes"] = writes;
        summary["editsPerWrite"] = Math.Round(measuredEdits / (double)Math.Max(1, measuredWrites), 2);
        summary["clients"] = typing.Clients;
        summary["opsPerSecond"] = typing.Clients * typing.Rate;
        summary["seconds"] = typing.Seconds;
        summary["prefillEdits"] = typing.PrefillEdits;
        // [second of the run, ms, edits] of each write slower than SlowWriteMs (warm-up included).
        summary["slowWrites"] = slow;
        return summary;
    }

    /// <summary>Writes <paramref name="edits"/> edits in commits of 5, as the pre-warm's group commits would.</summary>
    private static async Task PrefillAsync(ILogStorage storage, GrainId grain, string initialText, int edits, Random random)
    {
        var (state, textRow) = FloorState.Create(initialText).WithTextRow();
        var etag = await storage.WriteStateAsync(grain, "state", JsonSerializer.Serialize(state, StateJson.Options), null, [textRow!], CancellationToken.None);
        for (var written = 0; written < edits; written += 5)
        {
            (state, etag) = await WriteEditsAsync(storage, grain, state, etag, Math.Min(5, edits - written), random);
        }
    }

    /// <summary>One group commit of <paramref name="count"/> edits: one op row and one audit row holding them all (a JSON array when several), and the state row.</summary>
    private static async Task<(FloorState State, string ETag)> WriteEditsAsync(ILogStorage storage, GrainId grain, FloorState state, string etag, int count, Random random)
    {
        var ops = new List<string>(count);
        var audits = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            (state, var op) = Edit(state, random);
            ops.Add(op);
            audits.Add(AuditRecord(state.Revision));
        }
        var firstRevision = state.Revision - count + 1;
        (state, var textRow) = state.WithTextRow();
        LogEntry[] rows = textRow is null
            ? [new("op", firstRevision, Packed(ops)), new("audit", firstRevision, Packed(audits))]
            : [new("op", firstRevision, Packed(ops)), new("audit", firstRevision, Packed(audits)), textRow];
        etag = await storage.WriteStateAsync(grain, "state", JsonSerializer.Serialize(state, StateJson.Options), etag, rows, CancellationToken.None);
        return (state, etag);
    }

    /// <summary>One record stays a JSON object; several become one JSON array, as ProposalLog.Pack writes them.</summary>
    internal static string Packed(List<string> records) => records.Count == 1 ? records[0] : "[" + string.Join(',', records) + "]";

    /// <summary>The edit the typing workload makes: one character at a random position; the new state and the op record.</summary>
    private static (FloorState State, string OpRecord) Edit(FloorState state, Random random)
    {
        var position = random.Next(state.Text.Length + 1);
        var revision = state.Revision + 1;
        var op = position == 0 ? new JsonArray("x") : new JsonArray(position, "x");
        var next = state with { Text = state.Text.Insert(position, "x"), TextLength = state.TextLength + 1, Revision = revision, UpdatedAt = DateTimeOffset.UtcNow, AuditSequence = revision };
        return (next, new JsonObject { ["member"] = "MY", ["at"] = DateTimeOffset.UtcNow, ["op"] = op }.ToJsonString());
    }

    /// <summary>An audit entry the size and shape of the grain's for an edit.</summary>
    internal static string AuditRecord(long revision) => JsonSerializer.Serialize(new
    {
        sequence = revision, at = DateTimeOffset.UtcNow, member = "MY", role = "Delegate", action = "edit",
        detail = "op sha256 " + new string('a', 64), revision, prevHash = new string('b', 64), hash = new string('c', 64),
    }, StateJson.Options);

    /// <summary>A proposal grain's id, as the server's grains have them (partition <c>proposal|key</c>).</summary>
    internal static GrainId Grain(string key) => GrainId.Create("proposal", key);

    private const double SlowWriteMs = 15;

    private sealed record TypingArrivals(int Clients, double Rate, int WarmupSeconds, int Seconds, int PrefillEdits);

    /// <summary>The shape of the proposal's state row (ProposalState, camelCase): what the grain writes per batch.</summary>
    internal sealed record FloorState(
        bool Created, string Title, string Activity, string Component, string? Group, string? Coordinator,
        IReadOnlyList<string> GroupParticipants, string Proposer, [property: JsonIgnore] string Text, int TextLength, long Revision, long TextChangedAt,
        string Level, string Status, object? Rule, DateTimeOffset? Deadline, bool DeadlineElapsed, bool SilenceBroken,
        IReadOnlyList<string> Participants, IReadOnlyList<object> SignOffs, IReadOnlyList<object> GroupSignOffs, bool Recommended,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AdoptedAt, long AuditSequence, string AuditHead, long? TextAt = null)
    {
        /// <summary>
        /// The state with the text row its commit writes beside it, if one is due — as the proposal grain
        /// does (ProposalLog.TextRowDue): the state row keeps no text, a text row (stream "text") holds it
        /// once the revisions since the last reach the text's length ÷ 64, within 64..1024.
        /// </summary>
        public (FloorState State, LogEntry? TextRow) WithTextRow() =>
            TextAt is { } at && Revision - at < Math.Clamp(TextLength / 64, 64, 1024)
                ? (this, null)
                : (this with { TextAt = Revision }, new LogEntry("text", Revision, JsonSerializer.Serialize(new { text = Text }, StateJson.Options)));

        public static FloorState Create(string text) => new(
            true, "Benchmark draft", "a1-1", "political-development", null, null, [], "MY", text, text.Length, 0, 0,
            "AllMembers", "Drafting", null, null, false, false, ServerApi.Members, [], [], false,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, 0, new string('0', 64));
    }
}
