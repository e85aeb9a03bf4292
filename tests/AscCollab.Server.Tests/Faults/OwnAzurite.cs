using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AscCollab.Server.Tests;

/// <summary>
/// An Azurite Table service of this test alone (not the shared one), on a loopback port and a data
/// folder of its own, so that it can be paused (SIGSTOP/SIGCONT), killed (SIGKILL) and started again
/// on the same folder and port. Only the PID it started is ever signalled; disposing kills it and
/// deletes the folder.
/// </summary>
internal sealed class OwnAzurite : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly string _folder = Directory.CreateTempSubdirectory("asccollab-faults-azurite-").FullName;
    private readonly int _port = FreePorts.Next();
    private Process? _process;

    private OwnAzurite()
    {
    }

    public string ConnectionString => AzuriteFixture.ConnectionStringFor(_port);

    public int ProcessId => _process?.Id ?? 0;

    public static async Task<OwnAzurite> StartAsync()
    {
        var azurite = new OwnAzurite();
        await azurite.StartProcessAsync();
        return azurite;
    }

    /// <summary>SIGSTOP: the process stops answering; connections stay open and requests hang.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(SigCont);

    /// <summary>SIGKILL: what it acknowledged since its last save to the folder (every 5 s) is gone.</summary>
    public void Kill()
    {
        Signal(SigKill);
        Assert.True(_process!.WaitForExit(TimeSpan.FromSeconds(10)), $"Azurite (pid {_process.Id}) did not exit after SIGKILL.");
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same folder and port (after <see cref="Kill"/>).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    Signal(SigCont); // a paused process does not die of SIGKILL until it runs
                    process.Kill();
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await process.WaitForExitAsync(timeout.Token);
                }
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the kill.
            }
            process.Dispose();
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is left to the system.
        }
    }

    private async Task StartProcessAsync()
    {
        var launcher = Path.Combine(RepoPaths.AzuriteFolder, "node_modules", ".bin", "azurite-table");
        Assert.True(File.Exists(launcher), $"{launcher} is missing: run npm ci in infra/azurite (the AzuriteFixture does when it starts its own).");
        var start = new ProcessStartInfo(launcher)
        {
            WorkingDirectory = RepoPaths.AzuriteFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--tableHost", "127.0.0.1", "--tablePort", _port.ToString(CultureInfo.InvariantCulture), "--location", _folder, "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{launcher}'.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(_process.HasExited, $"Azurite exited with {(_process.HasExited ? _process.ExitCode : 0)} before listening on {_port}.");
            try
            {
                using var client = new TcpClient();
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(IPAddress.Loopback, _port, attempt.Token);
                return;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on {_port} within 30 s.");
    }

    /// <summary>kill(1) with a signal number, to this process's PID only.</summary>
    private void Signal(int signal)
    {
        var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-" + signal.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(process.Id.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("Could not start kill.");
        var error = kill.StandardError.ReadToEnd();
        Assert.True(kill.WaitForExit(TimeSpan.FromSeconds(10)) && kill.ExitCode == 0, $"kill -{signal} {process.Id} failed: {error}");
    }
}
