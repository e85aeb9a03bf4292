using System.Globalization;

namespace AscCollab.Bench;

/// <summary>What to run and where; every figure of the issue's workloads is a default here.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/AscCollab.Bench -- <typing|typing-fresh|saturation|connections|cluster|memory-floor|storage|all|soak> [options]
          (typing-fresh: typing on a warm server after the pre-warm's rows are removed from Azurite — the issue's "fresh Azurite")
          --artifacts PATH        build output of the server (default <repo>/artifacts/bench); built there if missing
          --server-dll PATH       a server dll already built in Release (skips the build)
          --json PATH             also write the results as JSON
          --typing-clients N      (50)   --typing-rate N  ops/s per client (5)
          --typing-seconds N      (20)   --warmup-seconds N (3)
          --saturation-clients N  (10)   --saturation-seconds N (15)
          --connections N         (3000)
          --cluster-clients N     (25) clients per node in the cluster workload (two nodes; rate and seconds as typing)
          --prewarm-seconds N     (30) untimed closed-loop editing on another proposal first, so tiered JIT reaches steady state
          --storage-batches N     (500)  --storage-warmup N (50)
          --server-env KEY=VALUE  an environment variable for the server (repeatable; e.g. DOTNET_PerfMapEnabled=1 for perf)
          --connections-no-join   diagnostic: the idle clients connect but do not open the proposal
          --azurite-in-memory     diagnostic: Azurite without its data folder (no autosave to disk every 5 s)
          --no-pin                do not pin the server and the load to cores 0 and 1
          --no-budget             no per-op CPU budget (by default typing and saturation run a second time, sampled by perf)
          --peers LIST|none       peer servers run with typing, saturation and connections: signalr,sharedb,hocuspocus
                                  (signalr: SignalR + our OT in memory, this bench's own — the framework floor)
                                  (default: both with `all`, none with a single workload)
          --peers-only            run the peers only, not our server (the storage floor still runs)
          --soak-kills N          (20) soak (not in all): server SIGKILLs under typing load, restarted on the same ports
          --soak-clients N        (10)   --soak-rate N ops/s per typist (5)   --soak-interval N seconds of typing between kills (3)
        """;

    public IReadOnlyList<string> Workloads { get; init; } = [];
    public string? ArtifactsPath { get; init; }
    public string? ServerDll { get; init; }
    public string? JsonPath { get; init; }
    public int TypingClients { get; init; } = 50;
    public double TypingRate { get; init; } = 5;
    public int TypingSeconds { get; init; } = 20;
    public int WarmupSeconds { get; init; } = 3;
    public int SaturationClients { get; init; } = 10;
    public int SaturationSeconds { get; init; } = 15;
    public int Connections { get; init; } = 3000;
    public int ClusterClientsPerNode { get; init; } = 25;
    public int PrewarmSeconds { get; init; } = 30;
    public int StorageBatches { get; init; } = 500;
    public int StorageWarmup { get; init; } = 50;
    public bool Pin { get; init; } = true;

    /// <summary>perf samples the server during typing's and saturation's window and the report splits its CPU per op by component.</summary>
    public bool CpuBudget { get; init; } = true;
    public bool ConnectionsJoin { get; init; } = true;
    public int SoakKills { get; init; } = 20;
    public int SoakClients { get; init; } = 10;
    public double SoakRate { get; init; } = 5;
    public int SoakIntervalSeconds { get; init; } = 3;

    /// <summary>The peer servers (bench/peers/) run beside ours in the typing, saturation and connections workloads.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>Only the peers run the workloads (ours is not built or started).</summary>
    public bool PeersOnly { get; init; }

    /// <summary>Diagnostic: Azurite keeps its data in memory only (no LokiJS autosave to disk every 5 s).</summary>
    public bool AzuriteInMemory { get; init; }
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    public static readonly string[] AllWorkloads = ["storage", "typing", BenchRun.TypingFresh, "saturation", "connections", "cluster", "memory-floor"];

    public static bool TryParse(string[] args, out BenchOptions options, out string? error)
    {
        options = new BenchOptions();
        error = null;
        if (args.Length == 0)
        {
            error = "bench: name a workload.";
            return false;
        }

        var workloads = args[0] switch
        {
            "all" => AllWorkloads,
            var w when AllWorkloads.Contains(w) => ["storage", w],
            // Faults, not figures to compare with the storage floor: run on its own.
            "soak" => ["soak"],
            _ => null,
        };
        if (workloads is null)
        {
            error = $"bench: unknown workload '{args[0]}'.";
            return false;
        }

        // The storage floor is printed in every run: the targets are relative to it.
        options = options with { Workloads = [.. workloads.Distinct()], Peers = args[0] == "all" ? PeerServer.Names : [] };
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-pin")
            {
                options = options with { Pin = false };
                continue;
            }
            if (name == "--no-budget")
            {
                options = options with { CpuBudget = false };
                continue;
            }
            if (name == "--azurite-in-memory")
            {
                options = options with { AzuriteInMemory = true };
                continue;
            }
            if (name == "--peers-only")
            {
                options = options with { PeersOnly = true };
                continue;
            }
            if (name == "--connections-no-join")
            {
                options = options with { ConnectionsJoin = false };
                continue;
            }
            if (i + 1 >= args.Length)
            {
                error = $"bench: {name} needs a value.";
                return false;
            }
            var value = args[++i];
            try
            {
                options = name switch
                {
                    "--artifacts" => options with { ArtifactsPath = value },
                    "--server-dll" => options with { ServerDll = value },
                    "--json" => options with { JsonPath = value },
                    "--server-env" when value.IndexOf('=', StringComparison.Ordinal) > 0 => options with
                    {
                        ServerEnvironment = new Dictionary<string, string>(options.ServerEnvironment) { [value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..] },
                    },
                    "--typing-clients" => options with { TypingClients = Positive(value) },
                    "--typing-rate" => options with { TypingRate = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--typing-seconds" => options with { TypingSeconds = Positive(value) },
                    "--warmup-seconds" => options with { WarmupSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--saturation-clients" => options with { SaturationClients = Positive(value) },
                    "--saturation-seconds" => options with { SaturationSeconds = Positive(value) },
                    "--connections" => options with { Connections = Positive(value) },
                    "--cluster-clients" => options with { ClusterClientsPerNode = Positive(value) },
                    "--prewarm-seconds" => options with { PrewarmSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--storage-batches" => options with { StorageBatches = Positive(value) },
                    "--storage-warmup" => options with { StorageWarmup = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--peers" => options with { Peers = ParsePeers(value) },
                    "--soak-kills" => options with { SoakKills = Positive(value) },
                    "--soak-clients" => options with { SoakClients = Positive(value) },
                    "--soak-rate" => options with { SoakRate = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--soak-interval" => options with { SoakIntervalSeconds = Positive(value) },
                    _ => throw new FormatException($"unknown option {name}"),
                };
            }
            catch (FormatException ex)
            {
                error = $"bench: {name} {value}: {ex.Message}";
                return false;
            }
        }
        return true;
    }

    private static string[] ParsePeers(string value)
    {
        if (value == "none")
        {
            return [];
        }
        var peers = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return peers.All(PeerServer.Names.Contains) ? [.. peers.Distinct()] : throw new FormatException($"peers are {string.Join(", ", PeerServer.Names)} or none");
    }

    private static int Positive(string value)
    {
        var n = int.Parse(value, CultureInfo.InvariantCulture);
        return n > 0 ? n : throw new FormatException("must be positive");
    }
}
