using System.Diagnostics;
using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>
/// The bench's load generator keeps each client's text in chunks (bench/node/chunked-text.mjs)
/// instead of ot-text-unicode's one flat string; its node tests check that it gives the same text
/// as ot-text-unicode's apply on random ops (surrogate pairs, chunk splits, deletes across chunks).
/// </summary>
public sealed class BenchLoadTextTests
{
    [Fact]
    public async Task The_load_generators_chunked_text_applies_ops_as_ot_text_unicode_does()
    {
        var folder = Path.Combine(RepoPaths.Root, "bench", "node");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "ot-text-unicode")), "bench/node/node_modules is missing: scripts/test.sh runs npm ci there.");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("chunked-text.test.mjs");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: false);
            throw;
        }
        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("# fail 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", text, StringComparison.Ordinal);
    }
}
