using System.Diagnostics;

namespace AscCollab.Bench;

/// <summary>
/// A process this run started. Its output goes to a log file (or to a line callback), and
/// <see cref="Dispose"/> stops exactly this PID — the bench never stops anything by name.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;
    private readonly Lock _gate = new();
    private bool _closed;

    private ChildProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string? LogPath { get; private init; }

    /// <summary>Starts <paramref name="command"/> through bash (for ulimit and taskset); `exec` keeps the PID the program's.</summary>
    public static ChildProcess Start(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? logPath, Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = logPath is null ? null : new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, log) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, null);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(bounded.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // This PID only (bash exec'd into the program, so it is the program).
                _process.Kill(entireProcessTree: false);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        _process.Dispose();
        lock (_gate)
        {
            _closed = true;
            _log?.Dispose();
        }
    }

    private void OnLine(string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            if (!_closed)
            {
                _log?.WriteLine(line);
            }
        }
        onLine?.Invoke(line);
    }
}
