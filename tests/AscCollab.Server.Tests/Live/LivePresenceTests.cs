using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>Presence: who has a proposal open and where their cursors are, kept current through edits and coalesced.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LivePresenceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Cursors_follow_later_edits_presence_is_coalesced_and_leaving_is_pushed()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "Confidence building measures.");

        var result = await NodeScenario.RunAsync(new { mode = "presence", url = server.BaseUrl, proposalId = id });

        var r1 = result.GetProperty("r1").GetInt64();
        var r2 = result.GetProperty("r2").GetInt64();
        // Given at r0 as 5..7; "abc" inserted at 0 in r1 moves it to 8..10, "xy" in r2 to 10..12.
        var seenByC = result.GetProperty("seenByC").GetProperty("cursor");
        Assert.Equal((8, 10, r1), (seenByC.GetProperty("anchor").GetInt32(), seenByC.GetProperty("head").GetInt32(), seenByC.GetProperty("revision").GetInt64()));
        var seenByD = result.GetProperty("seenByD").GetProperty("cursor");
        Assert.Equal((10, 12, r2), (seenByD.GetProperty("anchor").GetInt32(), seenByD.GetProperty("head").GetInt32(), seenByD.GetProperty("revision").GetInt64()));

        // 30 moves: at most one push per 100 ms (plus the one in progress), and the last one shows the final position.
        var movedMs = result.GetProperty("movedMs").GetDouble();
        var pushes = result.GetProperty("duringBurst").GetInt32();
        Assert.InRange(pushes, 1, (int)(movedMs / 100) + 6);
        Assert.True(pushes < 30, $"{pushes} pushes for 30 moves in {movedMs} ms");
        Assert.Equal(29, result.GetProperty("last").GetProperty("cursor").GetProperty("anchor").GetInt32());

        Assert.True(result.GetProperty("gone").GetBoolean(), "closing the proposal was not pushed");
        Assert.Equal("invalid_input", result.GetProperty("closedCursor").GetString());
    }
}
