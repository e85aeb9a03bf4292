using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AscCollab.Server.Tests;

/// <summary>
/// scripts/run-server.sh refuses to start, in one line and before building anything, when a port of
/// the node is taken or a setting is wrong. (Starting, health, stopping on SIGTERM and a second node
/// need the built server and a storage account: checked by hand, README "Starting a second node".)
/// </summary>
public sealed class ScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("PORT", "port")]
    [InlineData("SILO_PORT", "silo port")]
    [InlineData("GATEWAY_PORT", "gateway port")]
    public async Task A_port_in_use_is_named_in_one_line(string variable, string what)
    {
        using var http = Listen();
        using var silo = Listen();
        using var gateway = Listen();
        var ports = new Dictionary<string, int> { ["PORT"] = Port(http), ["SILO_PORT"] = Port(silo), ["GATEWAY_PORT"] = Port(gateway) };
        // Only the port under test stays taken.
        foreach (var (name, listener) in new[] { ("PORT", http), ("SILO_PORT", silo), ("GATEWAY_PORT", gateway) })
        {
            if (name != variable)
            {
                listener.Stop();
            }
        }

        var result = await RunScript(ports.ToDictionary(p => p.Key, p => (string?)p.Value.ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"run-server.sh: {what} {ports[variable]} is already in use; set {variable}=… to use another", result.Stderr.Trim());
    }

    [Fact]
    public async Task Node_N_uses_HTTP_port_5080_plus_N_minus_1()
    {
        // Taken by us, or already by something else: either way the script must name 5086 for node 7.
        using var taken = TryListen(5086);

        var result = await RunScript(new() { ["NODE"] = "7" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("run-server.sh: port 5086 is already in use; set PORT=… to use another", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("NODE", "0", "run-server.sh: NODE must be a node number (1, 2, 3, …), not '0'")]
    [InlineData("NODE", "two", "run-server.sh: NODE must be a node number (1, 2, 3, …), not 'two'")]
    [InlineData("SILO_PORT", "70000", "run-server.sh: SILO_PORT must be a port number (1-65535), not '70000'")]
    public async Task A_wrong_setting_is_named_in_one_line(string variable, string value, string expected)
    {
        var result = await RunScript(new() { [variable] = value });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Stderr.Trim());
    }

    private sealed record ScriptResult(int ExitCode, string Stderr);

    /// <summary>Runs the script with the given variables; a storage string is set so that it never starts Azurite.</summary>
    private static async Task<ScriptResult> RunScript(Dictionary<string, string?> variables)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "run-server.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var name in new[] { "NODE", "PORT", "SILO_PORT", "GATEWAY_PORT", "Cluster__SiloPort", "Cluster__GatewayPort", "AZURITE_DATA" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["ASCCOLLAB_STORAGE"] = AzuriteFixture.ConnectionStringFor(1);
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WithTimeout(ScriptTimeout);
        }
        catch (TimeoutException)
        {
            // It went past its checks (into building and starting): stop exactly what we started.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"run-server.sh did not refuse within {ScriptTimeout.TotalSeconds:0} s; its stderr: {await stderr.WithTimeout()}");
        }
        await stdout.WithTimeout();
        return new ScriptResult(process.ExitCode, await stderr.WithTimeout());
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
