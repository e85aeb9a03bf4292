using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AscCollab.Server.Tests;

/// <summary>
/// scripts/run-server.sh refuses to start, in one line and before building anything, when a port of
/// the node is taken or a setting is wrong; and SIGTERM or SIGINT to the script's PID, once the node
/// is up, stops the server and the Azurite it started and leaves no process behind. (A second node
/// sharing the Azurite is checked by hand, README "Starting a second node".)
/// </summary>
public sealed class ScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The script builds the server (Debug) before starting it: the first build on a fresh clone takes a while.</summary>
    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(240);

    /// <summary>The script gives the server 30 s after SIGTERM before killing it, then stops Azurite (up to 10 s).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan GoneTimeout = TimeSpan.FromSeconds(5);

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

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_signal_to_the_script_stops_the_server_and_its_Azurite_and_leaves_no_process_behind(string signal, int expectedExitCode)
    {
        var data = Directory.CreateTempSubdirectory("asccollab-run-server-test-");
        var azuriteData = Path.Combine(data.FullName, "azurite");
        int httpPort, siloPort, gatewayPort, azuritePort;
        // Azurite's port too, held with the others while chosen: left to pick its own, Azurite once took
        // the gateway port just released here, and the node refused to start ("already in use").
        using (var http = Listen())
        using (var silo = Listen())
        using (var gateway = Listen())
        using (var table = Listen())
        {
            (httpPort, siloPort, gatewayPort, azuritePort) = (Port(http), Port(silo), Port(gateway), Port(table));
        }

        // Every process the script starts inherits this variable: the ones still carrying it afterwards were left behind.
        const string markerName = "ASCCOLLAB_RUN_SERVER_TEST";
        var markerValue = Guid.NewGuid().ToString("N");
        var marker = $"{markerName}={markerValue}";
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "run-server.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var name in new[] { "NODE", "Cluster__SiloPort", "Cluster__GatewayPort", "ASCCOLLAB_STORAGE", "STARTUP_TIMEOUT" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["PORT"] = httpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["SILO_PORT"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        // Logs and Azurite in our temp folder: the developer's .data is not touched.
        start.Environment["ASCCOLLAB_DATA"] = data.FullName;
        start.Environment["AZURITE_DATA"] = azuriteData;
        start.Environment["AZURITE_TABLE_PORT"] = azuritePort.ToString(CultureInfo.InvariantCulture);
        start.Environment[markerName] = markerValue;
        // The script's `dotnet build` would otherwise leave MSBuild nodes and the compiler server running for
        // minutes on purpose (the SDK's build servers): not the script's processes, so not started here.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";

        var output = new System.Text.StringBuilder();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
            if (line.Contains("AscCollab is up", StringComparison.Ordinal))
            {
                up.TrySetResult();
            }
        }
        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }

        using var script = Process.Start(start)!;
        script.OutputDataReceived += (_, e) => OnLine(e.Data);
        script.ErrorDataReceived += (_, e) => OnLine(e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        script.StandardInput.Close();
        var scriptPid = script.Id;
        OsProcess? server = null;
        OsProcess? azurite = null;
        try
        {
            var clock = Stopwatch.StartNew();
            while (!up.Task.IsCompleted && !script.HasExited && clock.Elapsed < UpTimeout)
            {
                await Task.Delay(100);
            }
            Assert.True(up.Task.IsCompleted, $"run-server.sh did not say \"AscCollab is up\" within {UpTimeout.TotalSeconds:0} s (exited: {script.HasExited}); its output:\n{Output()}");

            var url = $"http://127.0.0.1:{httpPort}";
            server = OsProcess.Find(p => p.ParentPid == scriptPid && p.CommandLine.EndsWith($" --urls {url}", StringComparison.Ordinal));
            Assert.True(server is not null, $"no child of run-server.sh (PID {scriptPid}) runs with --urls {url}; its output:\n{Output()}");
            var azuritePidFile = Path.Combine(azuriteData, "azurite-table.pid");
            Assert.True(File.Exists(azuritePidFile), $"the script started no Azurite in {azuriteData}; its output:\n{Output()}");
            azurite = OsProcess.Get(int.Parse(File.ReadAllText(azuritePidFile).Trim(), CultureInfo.InvariantCulture));
            Assert.True(azurite is not null && azurite.IsRunning, $"the Azurite in {azuritePidFile} does not run");
            Assert.True(File.Exists(Path.Combine(data.FullName, $"server-{httpPort}.log")), "the server's log is not in ASCCOLLAB_DATA");
            Assert.True(Answers(httpPort), $"nothing listens on {url} although the script said it is up");

            Signal(scriptPid, signal);

            clock.Restart();
            while (!script.HasExited && clock.Elapsed < StopTimeout)
            {
                await Task.Delay(100);
            }
            Assert.True(script.HasExited, $"run-server.sh (PID {scriptPid}) did not exit within {StopTimeout.TotalSeconds:0} s of SIG{signal}; its output:\n{Output()}");
            Assert.True(expectedExitCode == script.ExitCode, $"run-server.sh exited with {script.ExitCode} after SIG{signal}, not {expectedExitCode}; its output:\n{Output()}");
            Assert.True(await Gone(server), $"the server (PID {server.Pid}) still runs after run-server.sh exited on SIG{signal}; its output:\n{Output()}");
            Assert.True(await Gone(azurite), $"Azurite (PID {azurite.Pid}) still runs after run-server.sh exited on SIG{signal}; its output:\n{Output()}");
            foreach (var (what, port) in new[] { ("HTTP", httpPort), ("silo", siloPort), ("gateway", gatewayPort) })
            {
                Assert.False(Answers(port), $"something still listens on the {what} port {port} after run-server.sh exited on SIG{signal}");
            }
            clock.Restart();
            var left = OsProcess.All(p => p.HasEnvironment(marker));
            while (left.Count > 0 && clock.Elapsed < GoneTimeout)
            {
                await Task.Delay(100);
                left = OsProcess.All(p => p.HasEnvironment(marker));
            }
            Assert.True(left.Count == 0, $"run-server.sh left behind: {string.Join("; ", left.Select(p => $"PID {p.Pid}: {p.CommandLine}"))}");
        }
        finally
        {
            // Only what this test started: the script (asked first, so that it stops its own children),
            // then the processes recorded above and any carrying this test's marker.
            if (!script.HasExited)
            {
                Signal(scriptPid, "TERM");
                script.WaitForExit(StopTimeout);
                if (!script.HasExited)
                {
                    script.Kill();
                }
            }
            foreach (var leftover in new[] { server, azurite }.Concat(OsProcess.All(p => p.HasEnvironment(marker))))
            {
                leftover?.KillIfRunning();
            }
            try
            {
                data.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A process killed just now may still hold a file; the temp folder is left for the OS.
            }
        }
    }

    /// <summary>Sends SIG<paramref name="signal"/> to exactly one PID.</summary>
    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    private static async Task<bool> Gone(OsProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (process.IsRunning)
        {
            if (clock.Elapsed > GoneTimeout)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>Something accepts a connection on 127.0.0.1:<paramref name="port"/>.</summary>
    private static bool Answers(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A process seen in /proc, pinned by its start time so that a reused PID is never taken for it.</summary>
    private sealed record OsProcess(int Pid, int ParentPid, string StartTime, string CommandLine)
    {
        /// <summary>The same process still runs (a zombie, ended but not yet reaped by its parent, does not).</summary>
        public bool IsRunning => Get(Pid) is { } now && now.StartTime == StartTime && now.State is not ('Z' or 'X');

        private char State { get; init; }

        public static OsProcess? Get(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                return new OsProcess(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), fields[19], commandLine) { State = fields[0][0] };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static List<OsProcess> All(Func<OsProcess, bool> predicate)
        {
            var found = new List<OsProcess>();
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && Get(pid) is { State: not ('Z' or 'X') } process && predicate(process))
                {
                    found.Add(process);
                }
            }
            return found;
        }

        public static OsProcess? Find(Func<OsProcess, bool> predicate) => All(predicate).FirstOrDefault();

        public bool HasEnvironment(string variable)
        {
            try
            {
                return File.ReadAllText($"/proc/{Pid}/environ").Split('\0').Contains(variable);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        public void KillIfRunning()
        {
            if (IsRunning)
            {
                try
                {
                    using var process = Process.GetProcessById(Pid);
                    process.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Ended meanwhile.
                }
            }
        }
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
