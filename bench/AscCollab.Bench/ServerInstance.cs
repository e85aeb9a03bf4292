using System.Diagnostics;

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
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(90), cancellationToken);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        string last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"bench: the server exited at start (exit code {_process.ExitCode}); its log: {LogPath}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl + "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "timeout";
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"bench: the server was not healthy within {timeout.TotalSeconds} s ({last}); its log: {LogPath}");
    }
}
