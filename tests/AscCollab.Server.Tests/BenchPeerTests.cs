using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AscCollab.Server.Tests;

/// <summary>
/// The bench's peer servers (bench/peers/NAME/server.mjs: ShareDB 7 and Hocuspocus 4, in memory)
/// start, take a document, and the bench's load generator (bench/node/load.mjs) drives them with
/// its peer clients: a few clients type for two seconds, every op is acknowledged and seen by every
/// other client, and all clients end with the server's text. Bounded: 5 clients × 4 ops/s, 2 s.
/// (npm ci in bench/node and bench/peers/* is done by scripts/test.sh, as for every lock file.)
/// </summary>
public sealed class BenchPeerTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("sharedb")]
    [InlineData("hocuspocus")]
    public async Task A_peer_server_takes_the_load_generators_edits_and_every_client_converges(string peer)
    {
        var folder = Path.Combine(RepoPaths.Root, "bench", "peers", peer);
        var port = FreePorts.Next();
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        using var server = Start("node", ["server.mjs", port.ToString(CultureInfo.InvariantCulture)], folder);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
            await WaitHealthyAsync(http, server);
            const string document = "benchpeertest";
            using (var created = await http.PostAsync(new Uri($"/documents/{document}", UriKind.Relative), new StringContent("Measure 1: the draft text.", Encoding.UTF8, "text/plain")))
            {
                Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            }

            var config = new JsonObject
            {
                ["workload"] = "typing",
                ["peer"] = peer,
                ["url"] = baseUrl,
                ["proposalId"] = document,
                ["tokens"] = new JsonArray(),
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
                Assert.Equal("Measure 1: the draft text.".Length + ops, convergence["serverLength"]!.GetValue<int>());
                // Each measured op reached the four other clients.
                Assert.Equal(0, result["seenMissing"]!.GetValue<int>());
                var ack = result["ack"]!.AsObject();
                var seen = result["seen"]!.AsObject();
                Assert.Equal(counters["measuredOps"]!.GetValue<int>(), ack["count"]!.GetValue<int>());
                Assert.Equal(4 * ack["count"]!.GetValue<int>(), seen["count"]!.GetValue<int>());
                Assert.Empty(result["errors"]!.AsObject());
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

    private static Process Start(string file, string[] args, string folder)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
