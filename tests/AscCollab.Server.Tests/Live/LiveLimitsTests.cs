using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>Per-connection rate limits, the operation size limit and the message size limit.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LiveLimitsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Bursts_are_rate_limited_large_ops_are_too_large_and_oversize_messages_close_the_connection()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("SG", "Humanitarian relief.");

        var result = await NodeScenario.RunAsync(new
        {
            mode = "limits",
            url = server.BaseUrl,
            proposalId = id,
            member = "SG",
            burst = 300,
            bigInsert = 30_000,   // above the 20,000 code points one op may insert, below the message limit
            hugeInsert = 200_000, // above the 128 KiB message limit
        });

        var counts = result.GetProperty("counts");
        var refused = counts.TryGetProperty("invalid_op", out var invalid) ? invalid.GetInt32() : 0;
        var limited = counts.TryGetProperty("rate_limited", out var rate) ? rate.GetInt32() : 0;
        Assert.Equal(300, refused + limited);
        // Burst of 100 plus what 50/s refills while the burst is processed.
        Assert.InRange(refused, 100, 200);
        Assert.True(limited >= 100, result.ToString());
        Assert.Equal("too_large", result.GetProperty("big").GetString());
        Assert.StartsWith("transport", result.GetProperty("huge").GetString(), StringComparison.Ordinal);
        Assert.Contains("closed with an error", result.GetProperty("closedWith").GetString(), StringComparison.Ordinal);
        Assert.Equal(result.GetProperty("before").ToString(), result.GetProperty("after").ToString());
        Assert.Equal(("Humanitarian relief.", 0L), await server.ReadProposalAsync(id));
    }
}
