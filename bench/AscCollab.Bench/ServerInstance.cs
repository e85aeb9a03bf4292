namespace AscCollab.Bench;

/// <summary>
/// The AscCollab server from its Release dll, in Development (for the dev token endpoint), on
/// Azurite, pinned to core 0. Disposing stops exactly its PID.
/// </summary>
internal sealed class ServerInstance : IDisposable
{
    private readonly ChildProcess _process;

    private ServerInstance(ChildProcess process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public int Pid => _process.Id;

    public string? LogPath => _process.LogPath;

    public static async Task<ServerInstance> StartAsync(string dll, string storage, bool pin, IReadOnlyDictionary<string, string> settings, string logPath, CancellationToken cancellationToken)
    {
        var port = Azurite.FreePort();
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASCCOLLAB_STORAGE"] = storage,
            // One line per HTTP request on the console is not what a deployment pays for; hub and grain logs are unchanged.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        var taskset = pin ? "taskset -c 0 " : "";
        var command = $"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec {taskset}dotnet '{dll}' --urls {"http://127.0.0.1:" + port}";
        var process = ChildProcess.Start(command, Path.GetDirectoryName(dll)!, environment, logPath);
        var server = new ServerInstance(process, port);
        try
        {
            await Tools.WaitHealthyAsync(server.BaseUrl, process, TimeSpan.FromSeconds(90), cancellationToken);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();
}
