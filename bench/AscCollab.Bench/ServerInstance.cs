using System.Globalization;

namespace AscCollab.Bench;

/// <summary>
/// The AscCollab server from its Release dll, in Development (for the dev token endpoint), on
/// Azurite, pinned to core 0 (or the core given). It is an Orleans silo: each instance gets free
/// silo and gateway ports and, unless it joins a cluster on purpose, a table prefix of its own
/// (so its membership, state and reminder tables are its alone). Disposing stops exactly its PID.
/// </summary>
internal sealed class ServerInstance : IDisposable
{
    private readonly ChildProcess _process;
    private readonly int _port;

    private ServerInstance(ChildProcess process, int port, int siloPort, int gatewayPort, string tablePrefix)
    {
        _process = process;
        _port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        TablePrefix = tablePrefix;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>Storage:TablePrefix: the same for the nodes of one cluster, new otherwise.</summary>
    public string TablePrefix { get; }

    public string BaseUrl { get; }

    /// <summary>Its HTTP, silo and gateway ports, for a node started in its place.</summary>
    public (int Http, int Silo, int Gateway) Ports => (_port, SiloPort, GatewayPort);

    public int Pid => _process.Id;

    public string? LogPath => _process.LogPath;

    /// <summary>A table prefix no other instance has: Azure table names are letters and digits, starting with a letter.</summary>
    public static string NewTablePrefix() => "bench" + Guid.NewGuid().ToString("N")[..10];

    /// <param name="tablePrefix">null: a new prefix (a cluster of one); a running node's <see cref="TablePrefix"/>: join its cluster.</param>
    /// <param name="core">the core it is pinned to when <paramref name="pin"/> (0 for the single-server workloads).</param>
    /// <param name="waitForSilos">wait until GET /health reports at least this many active silos (when it reports "silos" at all).</param>
    /// <param name="ports">(HTTP, silo, gateway) of a node it replaces (the soak restarts a killed node on its ports); null: free ones.</param>
    public static async Task<ServerInstance> StartAsync(string dll, string storage, bool pin, IReadOnlyDictionary<string, string> settings, string logPath, CancellationToken cancellationToken,
        string? tablePrefix = null, int core = 0, int waitForSilos = 1, (int Http, int Silo, int Gateway)? ports = null)
    {
        var port = ports?.Http ?? Azurite.FreePort();
        int siloPort, gatewayPort;
        do
        {
            siloPort = ports?.Silo ?? Azurite.FreePort();
            gatewayPort = ports?.Gateway ?? Azurite.FreePort();
        }
        while (ports is null && (siloPort == gatewayPort || siloPort == port || gatewayPort == port));
        var prefix = tablePrefix ?? NewTablePrefix();
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASCCOLLAB_STORAGE"] = storage,
            // One line per HTTP request on the console is not what a deployment pays for; hub and grain logs are unchanged.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            // The silo (docs/cluster.md): ports of its own, so instances never collide with each other or
            // with a developer's server on the defaults (11111, 30000). A pre-Orleans build ignores them.
            ["Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Storage__TablePrefix"] = prefix,
        };
        var taskset = pin ? $"taskset -c {core} " : "";
        var command = $"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec {taskset}dotnet '{dll}' --urls {"http://127.0.0.1:" + port}";
        var process = ChildProcess.Start(command, Path.GetDirectoryName(dll)!, environment, logPath);
        var server = new ServerInstance(process, port, siloPort, gatewayPort, prefix);
        try
        {
            await Tools.WaitHealthyAsync(server.BaseUrl, process, TimeSpan.FromSeconds(90), cancellationToken, waitForSilos);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Waits until GET /health answers 200 with at least <paramref name="silos"/> active silos (or with no "silos" figure).</summary>
    public Task WaitHealthyAsync(int silos, TimeSpan timeout, CancellationToken cancellationToken) =>
        Tools.WaitHealthyAsync(BaseUrl, _process, timeout, cancellationToken, silos);

    public void Dispose() => _process.Dispose();
}
