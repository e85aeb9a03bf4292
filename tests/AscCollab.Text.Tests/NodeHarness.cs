using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AscCollab.Text.Tests;

/// <summary>Runs node/harness.js (the real ot-text-unicode) as one child process per batch.</summary>
internal static class NodeHarness
{
    public static string Directory { get; } = typeof(NodeHarness).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NodeHarnessDirectory").Value!;

    /// <summary>
    /// Installs the pinned package from the committed lock file if it is missing. Failing here
    /// fails the tests: skipping would hide a regression.
    /// </summary>
    public static async Task EnsureInstalledAsync(TimeSpan timeout)
    {
        if (File.Exists(Path.Combine(Directory, "node_modules", "ot-text-unicode", "package.json")))
        {
            return;
        }

        var (exitCode, _, error) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], [], timeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {Directory} (exit {exitCode}): {error}");
        }
    }

    /// <summary>Sends every line to one Node process and returns its output lines in order.</summary>
    public static async Task<string[]> RunBatchAsync(IReadOnlyList<string> lines, TimeSpan timeout)
    {
        var (exitCode, output, error) = await RunAsync("node", ["harness.js"], lines, timeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"node harness.js failed (exit {exitCode}): {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string fileName, string[] arguments, IReadOnlyList<string> input, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
            var error = process.StandardError.ReadToEndAsync(cancel.Token);
            foreach (var line in input)
            {
                await process.StandardInput.WriteLineAsync(line.AsMemory(), cancel.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancel.Token);
            return (process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            // Only the process started above (and its children) is stopped.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
    }
}
