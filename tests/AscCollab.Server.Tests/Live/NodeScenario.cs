using System.Diagnostics;
using System.Text.Json;
using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>
/// Runs node/scenario.js (real @microsoft/signalr clients) against a live server and returns the
/// JSON it prints. Installs the pinned packages with <c>npm ci</c> the first time.
/// </summary>
internal static class NodeScenario
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "AscCollab.Server.Tests", "node");

    public static async Task<JsonElement> RunAsync(object arguments, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("scenario.js");
        start.ArgumentList.Add(JsonSerializer.Serialize(arguments));
        var (code, stdout, stderr) = await RunProcessAsync(start, timeout ?? TimeSpan.FromMinutes(2));
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.True(code == 0 && last is not null, $"node scenario.js exited with {code}: {stdout}\n{stderr}");
        return JsonDocument.Parse(last!).RootElement.Clone();
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync(InstallTimeout);
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "@microsoft", "signalr")) && Directory.Exists(Path.Combine(Folder, "node_modules", "ot-text-unicode")))
            {
                return;
            }
            var install = new ProcessStartInfo("npm") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
            {
                install.ArgumentList.Add(argument);
            }
            var (code, stdout, stderr) = await RunProcessAsync(install, InstallTimeout);
            Assert.True(code == 0, $"npm ci in {Folder} failed with {code}: {stdout}\n{stderr}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not finish within {timeout.TotalSeconds} s: {await stdout.WithTimeout()}\n{await stderr.WithTimeout()}");
        }
        return (process.ExitCode, await stdout.WithTimeout(), await stderr.WithTimeout());
    }
}
