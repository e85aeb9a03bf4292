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
        await NodeTests.RunAsync(folder, "chunked-text.test.mjs", TimeSpan.FromSeconds(60));
    }
}
