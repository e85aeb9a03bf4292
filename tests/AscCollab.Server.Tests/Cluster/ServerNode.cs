using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// One AscCollab server as a real process (<c>dotnet AscCollab.Server.dll</c>), a silo of the cluster
/// on <see cref="TablePrefix"/>'s tables, on free loopback ports, SG in the chair. <see cref="Kill"/>
/// ends it with SIGKILL; disposing kills it if it still runs. Only this process is ever ended.
/// </summary>
internal sealed class ServerNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int OutputLines = 400;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ServerNode(string name, string connectionString, string tablePrefix, NodePorts? ports)
    {
        Name = name;
        TablePrefix = tablePrefix;
        var (silo, gateway) = ports is null ? FreePorts.SiloAndGateway() : (ports.Silo, ports.Gateway);
        var port = ports?.Http ?? FreePorts.Next();
        Ports = new NodePorts(port, silo, gateway);
        BaseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var folder = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(folder, "AscCollab.Server.dll"), "--urls", BaseUrl.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(argument);
        }
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASCCOLLAB_STORAGE"] = connectionString,
            ["Storage__TablePrefix"] = tablePrefix,
            ["Cluster__SiloPort"] = silo,
            ["Cluster__GatewayPort"] = gateway,
            ["AscCollab__Chairmanship__0__Member"] = AscCollabApp.Chair,
            ["AscCollab__Chairmanship__0__From"] = "2000-01-01T00:00:00Z",
            ["AscCollab__Chairmanship__0__To"] = "2100-01-01T00:00:00Z",
            ["Logging__LogLevel__Default"] = "Warning",
            ["AscCollab__Keys__Folder"] = TestKeys.Folder,
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet AscCollab.Server.dll.");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Name { get; }

    public string TablePrefix { get; }

    /// <summary>Its HTTP, silo and gateway ports: a node restarted on the same ones replaces it in the cluster at once.</summary>
    public NodePorts Ports { get; }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node and waits until its <c>/health</c> answers 200.</summary>
    public static async Task<ServerNode> StartAsync(string name, string connectionString, string tablePrefix, NodePorts? ports = null)
    {
        var node = new ServerNode(name, connectionString, tablePrefix, ports);
        try
        {
            await node.WaitHealthyAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>/health</c> answer, or null while the node does not answer.</summary>
    public async Task<JsonNode?> HealthAsync()
    {
        try
        {
            using var response = await Http.GetAsync("health").WithTimeout();
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync().WithTimeout()) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>A Development token of this node for <paramref name="member"/>.</summary>
    public async Task<string> TokenAsync(string member, string role = "delegate")
    {
        using var response = await Http.PostAsJsonAsync("api/dev/token", new { member, role }).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"{Name}: token for {member}/{role}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["token"]!.GetValue<string>();
    }

    /// <summary>An HTTP client of this node carrying <paramref name="token"/>.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A hub connection to this node (WebSockets, no negotiation), not started.</summary>
    public HubConnection Hub(string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseUrl, "hubs/collab"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(10)), $"{Name} (pid {_process.Id}) did not exit after SIGKILL.");
    }

    /// <summary>What the process printed last (for failure messages).</summary>
    public string Output()
    {
        lock (_output)
        {
            return $"--- {Name} (pid {_process.Id}) ---{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        _process.Dispose();
    }

    private async Task WaitHealthyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was healthy.{Environment.NewLine}{Output()}");
            }
            if (await HealthAsync() is not null)
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not healthy within {StartTimeout.TotalSeconds} s.{Environment.NewLine}{Output()}");
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}

/// <summary>A node's HTTP port and its silo and gateway ports (configuration strings).</summary>
internal sealed record NodePorts(int Http, string Silo, string Gateway);
