using System.Diagnostics;
using Xunit;

namespace AscCollab.Testing;

/// <summary>Runs node's own test runner (<c>node --test</c>) in a folder of the repository and checks that its tests ran and passed.</summary>
public static class NodeTests
{
    /// <summary>
    /// <c>node --test <paramref name="target"/></c> in <paramref name="folder"/>, bounded by
    /// <paramref name="timeout"/> (the process is stopped by its PID when it runs over); fails the
    /// calling test with node's output when a test failed or none ran.
    /// </summary>
    public static async Task RunAsync(string folder, string target, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add(target);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bounded = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("# fail 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", text, StringComparison.Ordinal);
    }
}
