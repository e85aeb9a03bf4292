using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AscCollab.Bench;

/// <summary>
/// One bench run: the storage floor, then each workload on a fresh Azurite and a fresh server
/// (so one workload's data and memory do not weigh on the next). Everything started here is
/// stopped here, also on failure or Ctrl-C.
/// </summary>
internal static class BenchRun
{
    public static async Task<BenchResults> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var logFolder = Directory.CreateTempSubdirectory("asccollab-bench-").FullName;
        var results = new BenchResults { LogFolder = logFolder, Machine = Machine.Describe() };
        Console.Error.WriteLine($"bench: logs in {logFolder}");
        var initialText = InitialText();
        string? dll = null;

        foreach (var workload in options.Workloads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (workload == "storage")
                {
                    using var azurite = await Azurite.StartAsync(logFolder, options.AzuriteInMemory, cancellationToken);
                    Console.Error.WriteLine($"bench: storage floor ({options.StorageBatches} batches after {options.StorageWarmup} warm-up)");
                    results.Storage = await StorageFloor.RunAsync(azurite.ConnectionString, options, initialText, logFolder, cancellationToken);
                    continue;
                }
                if (workload == "memory-floor")
                {
                    foreach (var kind in MemoryFloor.Kinds)
                    {
                        results.MemoryFloor[kind] = await MemoryFloor.RunAsync(kind, options, logFolder, cancellationToken);
                    }
                    continue;
                }

                if (!options.PeersOnly)
                {
                    dll ??= await ServerBuild.LocateAsync(options, cancellationToken);
                    if (workload == "soak")
                    {
                        results.Workloads[workload] = await Soak.RunAsync(dll, options, logFolder, cancellationToken);
                        continue;
                    }
                    if (workload == "cluster")
                    {
                        results.Workloads[workload] = await RunClusterAsync(dll, initialText, options, logFolder, cancellationToken);
                        continue;
                    }
                    var figures = await RunWorkloadAsync(workload, dll, initialText, options, logFolder, cancellationToken, sampled: false);
                    if (options.CpuBudget && workload is "typing" or "saturation" && CpuBudget.Available)
                    {
                        // perf costs the server CPU of its own: the budget comes from a second, sampled run of the
                        // same workload, its shares applied to the clean run's CPU per op (the headline figures).
                        Console.Error.WriteLine($"bench: {workload}: a second run, sampled by perf, for the CPU budget");
                        var sampled = await RunWorkloadAsync(workload, dll, initialText, options, logFolder, cancellationToken, sampled: true);
                        if (sampled["cpuBudget"]?.AsObject() is { } budget)
                        {
                            figures["cpuBudget"] = CpuBudget.Rescale(budget, figures["serverCpuSecondsPerOp"]!.GetValue<double>() * 1e6);
                        }
                    }
                    results.Workloads[workload] = figures;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine($"bench: {workload} failed: {ex.Message}");
                results.Failures[workload] = ex.Message;
            }

            if (!PeerWorkloads.Contains(workload) && workload != TypingFresh)
            {
                continue;
            }
            foreach (var peer in options.Peers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (workload == TypingFresh && peer != SignalRFloor.DurablePeerName)
                {
                    // A fresh Azurite matters only to a peer that stores: the in-memory peers' typing is theirs.
                    continue;
                }
                if (peer == SignalRFloor.DurablePeerName && workload == "connections")
                {
                    // Idle connections hold no storage: the signalr floor's figure is this one's.
                    continue;
                }
                try
                {
                    results.Peer(peer)[workload] = await RunPeerAsync(peer, workload, initialText, options, logFolder, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"bench: {workload} on {peer} failed: {ex.Message}");
                    results.Failures[$"{workload} ({peer})"] = ex.Message;
                }
            }
        }

        results.Machine["loadAverageAfter"] = Machine.LoadAverage();
        return results;
    }

    /// <summary>What every workload tells the load generator: where, what, which tokens, and its timing.</summary>
    private static JsonObject LoadSettings(string workload, string url, string proposal, IReadOnlyList<MemberToken> tokens, int serverPid, int azuritePid, BenchOptions options) => new()
    {
        ["workload"] = workload,
        ["url"] = url,
        ["proposalId"] = proposal,
        ["tokens"] = Tokens(tokens),
        ["serverPid"] = serverPid,
        ["azuritePid"] = azuritePid,
        ["clockTicks"] = Tools.ClockTicks,
        ["seed"] = 1,
        ["warmupSeconds"] = options.WarmupSeconds,
        ["prewarmSeconds"] = options.PrewarmSeconds,
        ["drainSeconds"] = 30,
        ["connectTimeoutSeconds"] = 300,
        ["openTimeoutSeconds"] = 60,
    };

    private static JsonArray Tokens(IReadOnlyList<MemberToken> tokens) => new([.. tokens.Select(t => (JsonNode)new JsonObject { ["member"] = t.Member, ["token"] = t.Token })]);

    /// <summary>Typing's load on a warm server whose Azurite holds none of the pre-warm's rows (<see cref="FreshAzurite"/>).</summary>
    public const string TypingFresh = "typing-fresh";

    /// <summary>The workloads the peers run too (the cluster workload is ours alone: the peers are in-memory single processes).</summary>
    public static readonly string[] PeerWorkloads = ["typing", "saturation", "connections"];

    /// <summary>
    /// The workload's load, sized exactly as for our server (<see cref="SizeLoad"/>), against a peer
    /// server pinned to core 0: no Azurite, no tokens, documents created over the peer's own endpoint.
    /// </summary>
    private static async Task<JsonObject> RunPeerAsync(string peer, string workload, string initialText, BenchOptions options, string logFolder, CancellationToken cancellationToken)
    {
        // The durable floor stores in a fresh Azurite of its own, like ours.
        using var azurite = peer == SignalRFloor.DurablePeerName ? await Azurite.StartAsync(logFolder, options.AzuriteInMemory, cancellationToken) : null;
        using var server = await PeerServer.StartAsync(peer, options.Pin, Path.Combine(logFolder, $"peer-{peer}-{workload}.log"), cancellationToken, azurite?.ConnectionString);
        var document = await server.CreateDocumentAsync(initialText, cancellationToken);
        Console.Error.WriteLine($"bench: {workload} on {peer}: server PID {server.Pid} at {server.BaseUrl}, document {document}{(azurite is null ? "" : $", Azurite PID {azurite.Pid}")}");
        // The signalr peers speak our hub: the load drives them with our client path (its "token" is the member).
        var ourPath = peer is SignalRFloor.PeerName or SignalRFloor.DurablePeerName;
        // typing-fresh (the durable floor only): typing's load, on its Azurite emptied of the pre-warm, as ours.
        var fresh = workload == TypingFresh;
        var load = LoadSettings(fresh ? "typing" : workload, server.BaseUrl, document, ourPath ? [.. ServerApi.Members.Select(m => new MemberToken(m, m))] : [], server.Pid, azurite?.Pid ?? 0, options);
        if (!ourPath)
        {
            load["peer"] = peer;
        }
        load["label"] = $"{workload}-{peer}";
        if (workload != "connections" && options.PrewarmSeconds > 0)
        {
            load["prewarmProposalId"] = await server.CreateDocumentAsync(initialText, cancellationToken);
            // The same pacing as ours, though the peers have no edit limit.
            load["prewarmPaceMs"] = workload == "saturation" ? 0 : 25;
        }
        SizeLoad(load, fresh ? "typing" : workload, options);
        var emptied = fresh && azurite is not null ? await EmptyOfPrewarmAsync(load, azurite, SignalRFloor.DurableTablePrefix, load["label"]!.GetValue<string>(), options, logFolder, cancellationToken) : null;
        await QuietStartAsync(workload, cancellationToken);
        var cpuBefore = Tools.CpuSeconds(server.Pid);
        var result = await LoadGenerator.RunAsync(load, options.Pin, logFolder, cancellationToken);
        if (emptied is not null)
        {
            result["emptied"] = emptied;
        }
        result["serverCpuSecondsWholeRun"] = Tools.CpuSeconds(server.Pid) - cpuBefore;
        result["serverRssEndKiB"] = Tools.RssKiB(server.Pid);
        result["serverPinned"] = options.Pin;
        return result;
    }

    /// <summary>
    /// Before the connections load, every server (ours, the peers, the reference servers) idles 15 s
    /// after start-up: ours and the reference servers hand back what start-up left on their first
    /// quiet look (IdleHeapCompactor, 5 s checks), so "RSS before" holds none of it and the growth
    /// per connection is the connections' own.
    /// </summary>
    public static Task QuietStartAsync(string workload, CancellationToken cancellationToken) =>
        workload == "connections" ? Task.Delay(TimeSpan.FromSeconds(15), cancellationToken) : Task.CompletedTask;

    /// <summary>Clients, rates and time limits of a single-server workload: the same for ours and the peers.</summary>
    private static void SizeLoad(JsonObject load, string workload, BenchOptions options)
    {
        switch (workload)
        {
            case "typing":
                load["clients"] = options.TypingClients;
                load["opsPerSecond"] = options.TypingRate;
                load["measureSeconds"] = options.TypingSeconds;
                load["hardLimitSeconds"] = 180 + options.PrewarmSeconds + options.WarmupSeconds + options.TypingSeconds;
                break;
            case "saturation":
                load["clients"] = options.SaturationClients;
                load["measureSeconds"] = options.SaturationSeconds;
                load["hardLimitSeconds"] = 180 + options.PrewarmSeconds + options.WarmupSeconds + options.SaturationSeconds;
                break;
            default:
                load["clients"] = options.Connections;
                load["connectConcurrency"] = 200;
                load["joinProposal"] = options.ConnectionsJoin;
                load["settleSeconds"] = 30;
                load["drainSeconds"] = 120;
                load["hardLimitSeconds"] = 600;
                break;
        }
    }

    private static async Task<JsonObject> RunWorkloadAsync(string workload, string dll, string initialText, BenchOptions options, string logFolder, CancellationToken cancellationToken, bool sampled = false)
    {
        using var azurite = await Azurite.StartAsync(logFolder, options.AzuriteInMemory, cancellationToken);
        var settings = new Dictionary<string, string>(options.ServerEnvironment);
        if (workload == "saturation")
        {
            // The per-connection edit limit (50/s by default) would cap a closed loop before the server does.
            settings["Live__EditsPerSecond"] = "1000000";
            settings["Live__EditBurst"] = "1000000";
            // So would the member's budget across its connections (60/s): one client per member here.
            settings["Live__MemberEditsPerSecond"] = "1000000";
            settings["Live__MemberEditBurst"] = "1000000";
        }
        if (workload == "connections")
        {
            // 3,000 clients of 10 members are 300 connections per member; the default allows 10 per member and node.
            settings["Live__MaxConnectionsPerMember"] = (options.Connections + 100).ToString(CultureInfo.InvariantCulture);
        }
        var budgeted = sampled;
        if (budgeted)
        {
            foreach (var (key, value) in CpuBudget.ServerEnvironment)
            {
                settings.TryAdd(key, value);
            }
        }
        using var server = await ServerInstance.StartAsync(dll, azurite.ConnectionString, options.Pin, settings, Path.Combine(logFolder, $"server-{workload}.log"), cancellationToken);
        using var api = new ServerApi(server.BaseUrl);
        var tokens = await api.TokensAsync(cancellationToken);
        var proposal = await api.CreateProposalAsync(tokens[0], initialText, cancellationToken);
        Console.Error.WriteLine($"bench: {workload}: server PID {server.Pid} at {server.BaseUrl}, Azurite PID {azurite.Pid}, proposal {proposal}");

        // typing-fresh is typing's load, on an Azurite emptied of the pre-warm (FreshAzurite).
        var fresh = workload == TypingFresh;
        var load = LoadSettings(fresh ? "typing" : workload, server.BaseUrl, proposal, tokens, server.Pid, azurite.Pid, options);
        load["label"] = workload;
        if (workload != "connections" && options.PrewarmSeconds > 0)
        {
            load["prewarmProposalId"] = await api.CreateProposalAsync(tokens[1], initialText, cancellationToken);
            // Under the default limit of 50 edits/s per connection; saturation lifts the limit.
            load["prewarmPaceMs"] = workload == "saturation" ? 0 : 25;
        }
        SizeLoad(load, fresh ? "typing" : workload, options);

        var emptied = fresh ? await EmptyOfPrewarmAsync(load, azurite, server.TablePrefix, workload, options, logFolder, cancellationToken) : null;

        await QuietStartAsync(workload, cancellationToken);
        var cpuBefore = Tools.CpuSeconds(server.Pid);
        CpuBudget? budget = null;
        JsonObject result;
        try
        {
            // perf samples the server during the measured window only.
            result = await LoadGenerator.RunAsync(load, options.Pin, logFolder, cancellationToken, window =>
            {
                if (budgeted && window == "start")
                {
                    budget ??= CpuBudget.Start(server.Pid, logFolder, workload);
                }
                else if (window == "end")
                {
                    budget?.Interrupt();
                }
            });
            if (budget is not null && await budget.StopAsync(result["serverCpuSecondsPerOp"]!.GetValue<double>(), cancellationToken) is { } perOp)
            {
                result["cpuBudget"] = perOp;
            }
        }
        finally
        {
            budget?.Dispose();
        }
        result["serverCpuSecondsWholeRun"] = Tools.CpuSeconds(server.Pid) - cpuBefore;
        result["serverRssEndKiB"] = Tools.RssKiB(server.Pid);
        result["serverPinned"] = options.Pin;
        if (emptied is not null)
        {
            result["freshAzurite"] = emptied;
        }
        if (workload != "connections")
        {
            try
            {
                result["storageWrites"] = await api.StorageWritesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"bench: {workload}: reading /metrics failed: {ex.Message}");
            }
        }
        return result;
    }

    /// <summary>
    /// Runs the pre-warm of <paramref name="load"/> on its own, removes the pre-warm proposal's rows
    /// from Azurite and waits for Azurite's next save (<see cref="FreshAzurite"/>); the load then runs
    /// without a pre-warm. Null (and nothing done) when the load has no pre-warm.
    /// </summary>
    private static async Task<JsonObject?> EmptyOfPrewarmAsync(JsonObject load, Azurite azurite, string tablePrefix, string workload, BenchOptions options, string logFolder, CancellationToken cancellationToken)
    {
        if (load["prewarmProposalId"]?.GetValue<string>() is not { } prewarmProposal)
        {
            return null;
        }
        var prewarm = load.DeepClone().AsObject();
        prewarm["workload"] = "prewarm";
        prewarm["label"] = $"{workload}-prewarm";
        var warmed = await LoadGenerator.RunAsync(prewarm, options.Pin, logFolder, cancellationToken);
        // The storage layout's PartitionKey is `{grain type}|{key}` (ARCHITECTURE.md); a proposal id has nothing to escape.
        var rows = await FreshAzurite.RemovePartitionAsync(azurite.ConnectionString, tablePrefix + "grains", "proposal|" + prewarmProposal, cancellationToken);
        Console.Error.WriteLine($"bench: {workload}: pre-warmed ({warmed["prewarmEdits"]} edits), then removed the pre-warm proposal's {rows} rows from Azurite");
        await Task.Delay(FreshAzurite.SaveInterval, cancellationToken);
        load.Remove("prewarmProposalId");
        load["prewarmSeconds"] = 0;
        return new JsonObject { ["prewarmEdits"] = warmed["prewarmEdits"]?.DeepClone(), ["rowsRemoved"] = (double)rows };
    }

    /// <summary>
    /// The cluster workload: two server processes on one Azurite with one table prefix (one Orleans
    /// cluster), both pinned to core 0 — the single server's CPU budget, so the cost of the second
    /// silo and of the calls between them shows against the typing workload — the load on core 1.
    /// The typing workload's arrivals (clients × rate) on ONE proposal, half the clients on each node.
    /// </summary>
    private static async Task<JsonObject> RunClusterAsync(string dll, string initialText, BenchOptions options, string logFolder, CancellationToken cancellationToken)
    {
        using var azurite = await Azurite.StartAsync(logFolder, options.AzuriteInMemory, cancellationToken);
        var settings = new Dictionary<string, string>(options.ServerEnvironment);
        var prefix = ServerInstance.NewTablePrefix();
        using var a = await ServerInstance.StartAsync(dll, azurite.ConnectionString, options.Pin, settings, Path.Combine(logFolder, "server-cluster-a.log"), cancellationToken, prefix, core: 0);
        // B joins A's cluster: healthy only once it sees both silos; then A must see B too.
        using var b = await ServerInstance.StartAsync(dll, azurite.ConnectionString, options.Pin, settings, Path.Combine(logFolder, "server-cluster-b.log"), cancellationToken, prefix, core: 0, waitForSilos: 2);
        await a.WaitHealthyAsync(silos: 2, TimeSpan.FromSeconds(90), cancellationToken);
        using var apiA = new ServerApi(a.BaseUrl);
        using var apiB = new ServerApi(b.BaseUrl);
        var tokensA = await apiA.TokensAsync(cancellationToken);
        var tokensB = await apiB.TokensAsync(cancellationToken);
        var proposal = await apiA.CreateProposalAsync(tokensA[0], initialText, cancellationToken);
        Console.Error.WriteLine($"bench: cluster: node A PID {a.Pid} at {a.BaseUrl} (silo {a.SiloPort}, gateway {a.GatewayPort}), node B PID {b.Pid} at {b.BaseUrl} (silo {b.SiloPort}, gateway {b.GatewayPort}), table prefix {prefix}, Azurite PID {azurite.Pid}, proposal {proposal}");

        var load = LoadSettings("cluster", a.BaseUrl, proposal, tokensA, a.Pid, azurite.Pid, options);
        load["nodes"] = new JsonArray(
            new JsonObject { ["name"] = "A", ["url"] = a.BaseUrl, ["pid"] = a.Pid, ["tokens"] = Tokens(tokensA) },
            new JsonObject { ["name"] = "B", ["url"] = b.BaseUrl, ["pid"] = b.Pid, ["tokens"] = Tokens(tokensB) });
        // Half on each node: clients 0..n/2-1 on A, the rest on B.
        load["clients"] = 2 * options.ClusterClientsPerNode;
        load["opsPerSecond"] = options.TypingRate;
        load["measureSeconds"] = options.TypingSeconds;
        load["hardLimitSeconds"] = 180 + options.PrewarmSeconds + options.WarmupSeconds + options.TypingSeconds;
        if (options.PrewarmSeconds > 0)
        {
            // 5 pre-warm clients on each node, so both nodes' paths are compiled.
            load["prewarmProposalId"] = await apiA.CreateProposalAsync(tokensA[1], initialText, cancellationToken);
            load["prewarmPaceMs"] = 25;
        }
        // Like typing-fresh, the two nodes type on an Azurite emptied of the pre-warm's rows, so the
        // comparison with the single node is made on the same footing: Azurite's saves, which set
        // both tails, are as short in both.
        var emptied = await EmptyOfPrewarmAsync(load, azurite, prefix, "cluster", options, logFolder, cancellationToken);

        var cpuBefore = Tools.CpuSeconds(a.Pid) + Tools.CpuSeconds(b.Pid);
        var result = await LoadGenerator.RunAsync(load, options.Pin, logFolder, cancellationToken);
        result["serverCpuSecondsWholeRun"] = Tools.CpuSeconds(a.Pid) + Tools.CpuSeconds(b.Pid) - cpuBefore;
        result["serverRssEndKiB"] = new JsonObject { ["A"] = Tools.RssKiB(a.Pid), ["B"] = Tools.RssKiB(b.Pid) };
        result["serverPinned"] = options.Pin;
        result["tablePrefix"] = prefix;
        if (emptied is not null)
        {
            result["emptied"] = emptied;
        }
        return result;
    }

    /// <summary>About 2,000 characters of plain ASCII text, the draft the clients start from.</summary>
    private static string InitialText()
    {
        var text = new StringBuilder();
        for (var i = 1; text.Length < 2000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Measure {i}: ASEAN Member Countries shall promote political development and share information on maritime security cooperation. ");
        }
        return text.ToString();
    }
}

internal sealed class BenchResults
{
    public required string LogFolder { get; init; }
    public required JsonObject Machine { get; init; }
    public JsonObject? Storage { get; set; }
    public Dictionary<string, JsonObject> Workloads { get; } = [];

    /// <summary>The connections load on the reference servers, by kind (websocket, signalr).</summary>
    public Dictionary<string, JsonObject> MemoryFloor { get; } = [];
    public Dictionary<string, string> Failures { get; } = [];

    /// <summary>The peers' figures: peer → workload → the load generator's result.</summary>
    public Dictionary<string, Dictionary<string, JsonObject>> Peers { get; } = [];

    public Dictionary<string, JsonObject> Peer(string name)
    {
        if (!Peers.TryGetValue(name, out var workloads))
        {
            Peers[name] = workloads = [];
        }
        return workloads;
    }
    public bool Failed => Failures.Count > 0;
}
