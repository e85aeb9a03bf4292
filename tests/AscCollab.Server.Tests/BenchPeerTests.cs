using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AscCollab.Storage;
using AscCollab.Storage.AzureTable;
using AscCollab.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AscCollab.Server.Tests;

/// <summary>
/// The bench's peer servers (bench/peers/NAME/server.mjs: ShareDB 7 and Hocuspocus 4, in memory;
/// the bench's own signalr floor, in memory, and durable floor, on Azurite) start, take a document,
/// and the bench's load generator (bench/node/load.mjs) drives them with its clients: a few clients
/// type for two seconds, every op is acknowledged and seen by every other client, and all clients
/// end with the server's text. Bounded: 5 clients × 4 ops/s, 2 s.
/// (npm ci in bench/node and bench/peers/* is done by scripts/test.sh, as for every lock file; the
/// bench itself is built with the solution.)
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BenchPeerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(90);

    private const string InitialText = "Measure 1: the draft text.";

    /// <summary>The durable floor's table prefix (bench/AscCollab.Bench/SignalRFloor.cs).</summary>
    private const string DurableTablePrefix = "benchdurable";

    [Theory]
    [InlineData("sharedb")]
    [InlineData("hocuspocus")]
    [InlineData("signalr")]
    [InlineData("durable")]
    public async Task A_peer_server_takes_the_load_generators_edits_and_every_client_converges(string peer)
    {
        var port = FreePorts.Next();
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        // The signalr floors speak our hub, so the load drives them with our client path, each member's "token" its name.
        var ourPath = peer is "signalr" or "durable";
        using var server = ourPath
            ? Start("dotnet", [BenchDll(), "signalr-floor-server", port.ToString(CultureInfo.InvariantCulture), .. peer == "durable" ? new[] { "durable" } : []],
                RepoPaths.Root, peer == "durable" ? new Dictionary<string, string> { ["ASCCOLLAB_STORAGE"] = azurite.ConnectionString } : null)
            : Start("node", ["server.mjs", port.ToString(CultureInfo.InvariantCulture)], Path.Combine(RepoPaths.Root, "bench", "peers", peer));
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
            await WaitHealthyAsync(http, server);
            var document = "benchpeertest" + Guid.NewGuid().ToString("N")[..8];
            using (var created = await http.PostAsync(new Uri($"/documents/{document}", UriKind.Relative), new StringContent(InitialText, Encoding.UTF8, "text/plain")))
            {
                Assert.True(created.IsSuccessStatusCode, $"POST /documents answered {(int)created.StatusCode}");
            }

            var config = new JsonObject
            {
                ["workload"] = "typing",
                ["url"] = baseUrl,
                ["proposalId"] = document,
                ["tokens"] = ourPath ? new JsonArray([.. new[] { "BN", "KH", "ID", "LA", "MY" }.Select(m => (JsonNode)new JsonObject { ["member"] = m, ["token"] = m })]) : new JsonArray(),
                ["serverPid"] = server.Id,
                ["azuritePid"] = 0,
                ["clockTicks"] = 100,
                ["seed"] = 1,
                ["clients"] = 5,
                ["opsPerSecond"] = 4,
                ["warmupSeconds"] = 0,
                ["measureSeconds"] = 2,
                ["prewarmSeconds"] = 0,
                ["drainSeconds"] = 10,
                ["connectTimeoutSeconds"] = 30,
                ["openTimeoutSeconds"] = 15,
                ["hardLimitSeconds"] = 60,
            };
            if (!ourPath)
            {
                config["peer"] = peer;
            }
            var configPath = Path.Combine(Path.GetTempPath(), $"asccollab-bench-peer-{peer}-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(configPath, config.ToJsonString());
            try
            {
                var result = await RunLoadAsync(configPath);

                Assert.Null(result["failure"]);
                var convergence = result["convergence"]!.AsObject();
                Assert.Equal(5, convergence["clients"]!.GetValue<int>());
                Assert.Equal(5, convergence["clientsAgreeing"]!.GetValue<int>());
                // Every op typed was acknowledged; the text grew by exactly that many characters.
                var counters = result["counters"]!.AsObject();
                var ops = counters["ops"]!.GetValue<int>();
                Assert.True(ops >= 20, $"only {ops} ops were typed");
                Assert.Equal(ops, counters["ackedOps"]!.GetValue<int>());
                Assert.Equal(InitialText.Length + ops, convergence["serverLength"]!.GetValue<int>());
                // Each measured op reached the four other clients.
                Assert.Equal(0, result["seenMissing"]!.GetValue<int>());
                var ack = result["ack"]!.AsObject();
                var seen = result["seen"]!.AsObject();
                Assert.Equal(counters["measuredOps"]!.GetValue<int>(), ack["count"]!.GetValue<int>());
                Assert.Equal(4 * ack["count"]!.GetValue<int>(), seen["count"]!.GetValue<int>());
                Assert.Empty(result["errors"]!.AsObject());
                if (peer == "durable")
                {
                    await AssertStoredAsync(document, ops);
                }
            }
            finally
            {
                File.Delete(configPath);
            }
        }
        finally
        {
            Stop(server);
        }
    }

    /// <summary>Every acknowledged op of the durable floor is in Azurite: the state row at the last revision with its text's length, its text row, and op rows up to it.</summary>
    private async Task AssertStoredAsync(string document, int ops)
    {
        var services = new ServiceCollection();
        services.AddAzureTableLogStorage("check", o =>
        {
            o.ConnectionString = azurite.ConnectionString;
            o.TablePrefix = DurableTablePrefix;
        });
        await using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredKeyedService<ILogStorage>("check");
        var grain = GrainId.Create("proposal", document);
        var stored = await storage.ReadStateAsync(grain, "state", CancellationToken.None);
        Assert.NotNull(stored);
        var state = JsonNode.Parse(stored.Json)!.AsObject();
        Assert.Equal(ops, state["revision"]!.GetValue<long>());
        // As the proposal grain writes it: no text in the state row, its length, and the text row it is rebuilt from.
        Assert.Null(state["text"]);
        Assert.Equal(InitialText.Length + ops, state["textLength"]!.GetValue<int>());
        var textAt = state["textAt"]!.GetValue<long>();
        var textRow = Assert.Single(await storage.ReadLogAsync(grain, "text", textAt, textAt, CancellationToken.None));
        Assert.Equal(InitialText.Length + textAt, JsonNode.Parse(textRow.Json)!["text"]!.GetValue<string>().Length);
        var opRows = await storage.ReadLogAsync(grain, "op", 1, ops, CancellationToken.None);
        // One row per write, each holding that write's edits (one JSON object, or an array of several).
        var edits = opRows.Sum(r => JsonNode.Parse(r.Json) is JsonArray many ? many.Count : 1);
        Assert.Equal(ops, edits);
    }

    /// <summary>The bench, built with the solution in the configuration these tests run in.</summary>
    private static string BenchDll()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(RepoPaths.Root, "bench", "AscCollab.Bench", "bin", configuration, "net10.0", "AscCollab.Bench.dll");
        Assert.True(File.Exists(dll), $"the bench is not built: {dll}");
        return dll;
    }

    private static async Task<JsonObject> RunLoadAsync(string configPath)
    {
        using var load = Start("node", ["load.mjs", configPath], Path.Combine(RepoPaths.Root, "bench", "node"));
        var stdout = load.StandardOutput.ReadToEndAsync();
        var stderr = load.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(LoadTimeout);
        try
        {
            await load.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Stop(load);
            throw new TimeoutException($"load.mjs did not finish within {LoadTimeout.TotalSeconds} s: {await stderr}");
        }
        var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(line is not null, $"load.mjs exited with {load.ExitCode} and no result: {await stderr}");
        return JsonNode.Parse(line["RESULT ".Length..])!.AsObject();
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (server.HasExited)
            {
                Assert.Fail($"the peer server exited at start: {await server.StandardError.ReadToEndAsync()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer on a busy machine; try again.
            }
            await Task.Delay(100);
        }
        Assert.Fail($"the peer server did not answer /health within {StartTimeout.TotalSeconds} s");
    }

    private static Process Start(string file, string[] args, string folder, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>Stops exactly this process (by its PID).</summary>
    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
