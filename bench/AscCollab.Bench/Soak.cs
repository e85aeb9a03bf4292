using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Bench;

/// <summary>
/// The soak workload (issue 12 §5): delegations type into one proposal while the server is SIGKILLed
/// and started again on the same ports, <c>--soak-kills</c> times, on one Azurite that keeps running.
/// The typists behave as the documented client (docs/hub.md): SubmitTrackedEdit, the same op id again
/// after a lost connection or an unknown outcome, and Resync with the last acknowledged revision and op
/// after every new connection. At the end the stored edit log is compared with every acknowledgement:
/// acknowledged-but-lost (target 0), stored twice, stored at another revision; and per kill the time
/// from SIGKILL to the restarted node answering /health and to the next acknowledged edit.
/// </summary>
internal static class Soak
{
    public static async Task<JsonObject> RunAsync(string dll, BenchOptions options, string logFolder, CancellationToken cancellationToken)
    {
        var loadBefore = Machine.LoadAverage();
        using var azurite = await Azurite.StartAsync(logFolder, inMemory: false, cancellationToken);
        var settings = new Dictionary<string, string>(options.ServerEnvironment);
        var prefix = ServerInstance.NewTablePrefix();
        var server = await ServerInstance.StartAsync(dll, azurite.ConnectionString, options.Pin, settings, Path.Combine(logFolder, "server-soak-0.log"), cancellationToken, prefix);
        var typists = new List<SoakTypist>();
        var typing = new List<Task>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            using var api = new ServerApi(server.BaseUrl);
            var tokens = await api.TokensAsync(cancellationToken);
            var proposal = await api.CreateProposalAsync(tokens[0], "Soak draft.", cancellationToken);
            Console.Error.WriteLine($"bench: soak: server PID {server.Pid} at {server.BaseUrl}, Azurite PID {azurite.Pid}, proposal {proposal}, {options.SoakClients} typists × {options.SoakRate}/s, {options.SoakKills} kills every {options.SoakIntervalSeconds} s");
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.SoakClients; i++)
            {
                var typist = new SoakTypist(i, server.BaseUrl, proposal, tokens[i % tokens.Count].Token, options.SoakRate, clock);
                typists.Add(typist);
                typing.Add(Task.Run(() => typist.TypeAsync(stop.Token), CancellationToken.None));
            }
            // Azurite saves every 5 s: the proposal is on disk before the first kill (Azurite is never killed here).
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(6, options.SoakIntervalSeconds)), cancellationToken);

            var toHealthy = new List<double>();
            var toAck = new List<double>();
            for (var kill = 1; kill <= options.SoakKills; kill++)
            {
                var ports = server.Ports;
                var killedAt = clock.Elapsed.TotalMilliseconds;
                server.Dispose(); // SIGKILL of exactly its PID
                server = await ServerInstance.StartAsync(dll, azurite.ConnectionString, options.Pin, settings, Path.Combine(logFolder, $"server-soak-{kill}.log"), cancellationToken, prefix, ports: ports);
                toHealthy.Add(clock.Elapsed.TotalMilliseconds - killedAt);
                var deadline = Stopwatch.StartNew();
                while (!typists.Any(t => t.LastAckAt > killedAt) && deadline.Elapsed < TimeSpan.FromSeconds(120))
                {
                    await Task.Delay(20, cancellationToken);
                }
                var firstAck = typists.Select(t => t.FirstAckAfter(killedAt)).Where(a => a is not null).Min();
                toAck.Add(firstAck is { } at ? at - killedAt : double.NaN);
                Console.Error.WriteLine($"bench: soak: kill {kill}/{options.SoakKills}: healthy after {toHealthy[^1]:F0} ms, next ack after {toAck[^1]:F0} ms; {typists.Sum(t => t.Acknowledged.Count)} acked so far");
                await Task.Delay(TimeSpan.FromSeconds(options.SoakIntervalSeconds), cancellationToken);
            }

            await stop.CancelAsync();
            await Task.WhenAll(typing).WaitAsync(TimeSpan.FromSeconds(180), cancellationToken);
            var result = await CompareAsync(server.BaseUrl, proposal, tokens[0].Token, typists, cancellationToken);
            result["kills"] = options.SoakKills;
            result["clients"] = options.SoakClients;
            result["opsPerSecondPerClient"] = options.SoakRate;
            result["killToHealthyMs"] = Percentiles.Of(toHealthy);
            result["killToNextAckMs"] = Percentiles.Of([.. toAck.Where(a => !double.IsNaN(a))]);
            result["killsWithoutAckWithin120s"] = toAck.Count(double.IsNaN);
            result["resends"] = typists.Sum(t => t.Resends);
            result["revisionLostReports"] = typists.Count(t => t.Lost is not null);
            result["loadAverageBefore"] = loadBefore;
            result["loadAverageAfter"] = Machine.LoadAverage();
            result["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
            return result;
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var typist in typists)
            {
                await typist.DisposeAsync();
            }
            server.Dispose();
        }
    }

    /// <summary>The stored log (GET …/edits?since=0) against every acknowledgement.</summary>
    private static async Task<JsonObject> CompareAsync(string baseUrl, string proposal, string token, List<SoakTypist> typists, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var log = await http.GetFromJsonAsync<JsonElement>($"/api/proposals/{proposal}/edits?since=0", cancellationToken);
        // Each typist inserts "<typist.edit>" at the start; the committed op is the op sent (left of concurrent inserts).
        var stored = new Dictionary<string, List<long>>();
        var revisions = 0L;
        foreach (var edit in log.EnumerateArray())
        {
            var revision = edit.GetProperty("revision").GetInt64();
            revisions = Math.Max(revisions, revision);
            foreach (var component in edit.GetProperty("op").EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String))
            {
                var text = component.GetString()!;
                if (!stored.TryGetValue(text, out var at))
                {
                    stored[text] = at = [];
                }
                at.Add(revision);
            }
        }
        int acked = 0, lost = 0, twice = 0, moved = 0;
        foreach (var (text, revision) in typists.SelectMany(t => t.Acknowledged))
        {
            acked++;
            if (!stored.TryGetValue(text, out var at))
            {
                lost++;
            }
            else if (at.Count > 1)
            {
                twice++;
            }
            else if (at[0] != revision)
            {
                moved++;
            }
        }
        return new JsonObject
        {
            ["acknowledged"] = acked,
            ["acknowledgedButLost"] = lost,
            ["storedTwice"] = twice,
            ["storedAtAnotherRevision"] = moved,
            ["storedRevisions"] = revisions,
        };
    }

    public static void Print(JsonObject s, TextWriter w)
    {
        var healthy = s["killToHealthyMs"]!.AsObject();
        var ack = s["killToNextAckMs"]!.AsObject();
        w.WriteLine($"soak           {s["clients"]} typists × {s["opsPerSecondPerClient"]}/s on one proposal, {s["kills"]} server SIGKILLs (restart on the same ports), {s["seconds"]} s");
        w.WriteLine($"  acknowledged {s["acknowledged"]}, acknowledged-but-lost {s["acknowledgedButLost"]} (target 0), stored twice {s["storedTwice"]}, stored at another revision {s["storedAtAnotherRevision"]}; {s["resends"]} resends, {s["revisionLostReports"]} revision_lost");
        w.WriteLine($"  SIGKILL → restarted node healthy  ms  p50 {healthy["p50"]}  max {healthy["max"]}");
        w.WriteLine($"  SIGKILL → next acknowledged edit  ms  p50 {ack["p50"]}  max {ack["max"]}   ({s["killsWithoutAckWithin120s"]} kills without an ack within 120 s)");
        w.WriteLine($"  load average before {s["loadAverageBefore"]}, after {s["loadAverageAfter"]}");
    }
}

/// <summary>One typing delegation of the soak: unique tokens inserted at the start, at a steady pace.</summary>
internal sealed class SoakTypist(int index, string baseUrl, string proposal, string token, double rate, Stopwatch clock) : IAsyncDisposable
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentQueue<double> _ackTimes = new();
    private HubConnection? _connection;
    private bool _resync;
    private double _lastAckAt = -1;

    public List<(string Text, long Revision)> Acknowledged { get; } = [];

    public int Resends { get; private set; }

    public string? Lost { get; private set; }

    public double LastAckAt => Volatile.Read(ref _lastAckAt);

    public double? FirstAckAfter(double at) => _ackTimes.Where(t => t > at).Select(t => (double?)t).FirstOrDefault();

    public async Task TypeAsync(CancellationToken stop)
    {
        var pace = TimeSpan.FromSeconds(1 / rate);
        long revision = 0;
        for (var i = 0; !stop.IsCancellationRequested && Lost is null && i < 1_000_000; i++)
        {
            var text = $"<{index}.{i}>";
            var opId = $"{_run}-{index}-{i}";
            if (await SubmitAsync(revision, text, opId, stop) is not { } acked)
            {
                return;
            }
            revision = acked;
            Acknowledged.Add((text, revision));
            var now = clock.Elapsed.TotalMilliseconds;
            _ackTimes.Enqueue(now);
            while (_ackTimes.Count > 200 && _ackTimes.TryPeek(out var oldest) && now - oldest > 300_000)
            {
                _ackTimes.TryDequeue(out _);
            }
            Volatile.Write(ref _lastAckAt, now);
            try
            {
                await Task.Delay(pace, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The acknowledged revision; null when stopped, or told revision_lost (<see cref="Lost"/>).</summary>
    private async Task<long?> SubmitAsync(long baseRevision, string text, string opId, CancellationToken stop)
    {
        var budget = Stopwatch.StartNew();
        while (budget.Elapsed < TimeSpan.FromSeconds(150))
        {
            try
            {
                var connection = await ConnectAsync();
                if (_resync && Acknowledged.Count > 0)
                {
                    var (lastText, lastRevision) = Acknowledged[^1];
                    await connection.InvokeAsync<JsonElement>("Resync", proposal, lastRevision, new object[] { lastText }, (string?)null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(45), CancellationToken.None);
                }
                _resync = false;
                // Not cancelled by stop: an edit already sent is seen through, its outcome decides the comparison.
                var ack = await connection.InvokeAsync<JsonElement>("SubmitTrackedEdit", proposal, baseRevision, new object[] { text }, opId, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(45), CancellationToken.None);
                return ack.GetProperty("revision").GetInt64();
            }
            catch (HubException ex) when (ex.Message.Contains("revision_lost:", StringComparison.Ordinal))
            {
                Lost = ex.Message;
                return null;
            }
            catch (HubException ex) when (ex.Message.Contains("outcome_unknown:", StringComparison.Ordinal) || ex.Message.Contains("unavailable:", StringComparison.Ordinal) || ex.Message.Contains("rate_limited:", StringComparison.Ordinal))
            {
                Resends++;
            }
            catch (Exception ex) when (ex is not HubException and (InvalidOperationException or IOException or WebSocketException or HttpRequestException or TimeoutException or OperationCanceledException))
            {
                Resends++;
                await DropAsync();
            }
            if (stop.IsCancellationRequested && Acknowledged.Count > 0 && budget.Elapsed > TimeSpan.FromSeconds(60))
            {
                return null;
            }
            await Task.Delay(100, CancellationToken.None);
        }
        throw new TimeoutException($"soak typist {index}: {opId} not acknowledged within 150 s");
    }

    private async Task<HubConnection> ConnectAsync()
    {
        if (_connection is { State: HubConnectionState.Connected } connected)
        {
            return connected;
        }
        await DropAsync();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(baseUrl), "/hubs/collab"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        _connection = connection;
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _resync = true;
        return connection;
    }

    private async Task DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
