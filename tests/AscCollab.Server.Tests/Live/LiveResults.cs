using System.Text.Json;

namespace AscCollab.Server.Tests;

/// <summary>Reading what node/scenario.js reports.</summary>
internal static class LiveResults
{
    public static string[] Strings(this JsonElement result, string property) =>
        [.. result.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    public static long[] Longs(this JsonElement result, string property) =>
        [.. result.GetProperty(property).EnumerateArray().Select(e => e.GetInt64())];

    /// <summary>All clients hold the same text at the same revision; returns it.</summary>
    public static (string Text, long Revision) Converged(this JsonElement result)
    {
        var texts = result.Strings("texts");
        var revisions = result.Longs("revisions");
        Assert.All(texts, t => Assert.Equal(texts[0], t));
        Assert.All(revisions, r => Assert.Equal(revisions[0], r));
        return (texts[0], revisions[0]);
    }
}
