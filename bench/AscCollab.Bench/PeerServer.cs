using System.Text;

namespace AscCollab.Bench;

/// <summary>
/// A peer server of the side-by-side comparison (bench/peers/NAME/server.mjs: ShareDB 7 or
/// Hocuspocus 4, in memory, under Node; or <see cref="SignalRFloor"/>, this bench's own), started exactly like ours: pinned to core 0, the
/// descriptor limit raised, on a free port of 127.0.0.1. Disposing stops exactly its PID.
/// </summary>
internal sealed class PeerServer : IDisposable
{
    /// <summary>The peers, in the order they are run and printed.</summary>
    public static readonly string[] Names = [SignalRFloor.PeerName, SignalRFloor.DurablePeerName, "sharedb", "hocuspocus"];

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private PeerServer(string name, ChildProcess process, int port)
    {
        Name = name;
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public string BaseUrl { get; }

    public int Pid => _process.Id;

    public static string Folder(string name) => Path.Combine(RepoPaths.Root, "bench", "peers", name);

    /// <summary>Starts the peer; <paramref name="storage"/> is the Azurite connection string of the durable floor (null for the in-memory peers).</summary>
    public static async Task<PeerServer> StartAsync(string name, bool pin, string logPath, CancellationToken cancellationToken, string? storage = null)
    {
        var port = Azurite.FreePort();
        var taskset = pin ? "taskset -c 0 " : "";
        ChildProcess process;
        if (name is SignalRFloor.PeerName or SignalRFloor.DurablePeerName)
        {
            // This bench's own executable, with the server's runtime settings, as the memory floor's servers.
            var self = typeof(SignalRFloor).Assembly.Location;
            var durable = name == SignalRFloor.DurablePeerName;
            var command = $"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec {taskset}dotnet '{self}' {SignalRFloor.ServerCommand} {port}{(durable ? " " + SignalRFloor.DurablePeerName : "")}";
            var settings = new Dictionary<string, string>(MemoryFloor.ServerRuntimeSettings);
            if (durable)
            {
                settings["ASCCOLLAB_STORAGE"] = storage ?? throw new ArgumentNullException(nameof(storage), "the durable floor needs an Azurite");
            }
            process = ChildProcess.Start(command, RepoPaths.Root, settings, logPath);
        }
        else
        {
            var folder = Folder(name);
            if (!Directory.Exists(Path.Combine(folder, "node_modules")))
            {
                await Tools.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(5), cancellationToken);
            }
            var command = $"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec {taskset}node --max-old-space-size=4096 server.mjs {port}";
            process = ChildProcess.Start(command, folder, new Dictionary<string, string> { ["NODE_ENV"] = "production" }, logPath);
        }
        var server = new PeerServer(name, process, port);
        try
        {
            await Tools.WaitHealthyAsync(server.BaseUrl, process, TimeSpan.FromSeconds(60), cancellationToken);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A document holding <paramref name="text"/>; its id (the proposal id of the load settings).</summary>
    public async Task<string> CreateDocumentAsync(string text, CancellationToken cancellationToken)
    {
        var id = "bench" + Guid.NewGuid().ToString("N")[..12];
        using var content = new StringContent(text, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(new Uri($"/documents/{id}", UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"bench: {Name}: POST /documents/{id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return id;
    }

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }
}
