using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>The editing contract driven by real Node SignalR clients against the real server on Azurite.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LiveEditingTests(AzuriteFixture azurite)
{
    private static readonly string[] Typists = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "TH"];

    [Fact]
    public async Task Concurrent_clients_converge_on_the_servers_text_and_every_acknowledged_edit_survives_a_restart()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "Measures to build confidence: ");
        var (_, initial) = await server.ReadProposalAsync(id);

        var result = await NodeScenario.RunAsync(new
        {
            mode = "converge",
            url = server.BaseUrl,
            proposalId = id,
            ops = 40,
            seed = 7,
            clients = Typists.Select((member, i) => new { member, tracked = i % 2 == 0 }),
        });

        var (text, revision) = result.Converged();
        Assert.Empty(result.Strings("refusals"));
        // No client got its own edit back, pushes came in revision order, and no ack overtook an earlier push.
        Assert.Equal(0, result.GetProperty("echoes").GetInt32());
        Assert.Equal(0, result.GetProperty("outOfOrder").GetInt32());
        Assert.Equal(0, result.GetProperty("earlyAcks").GetInt32());
        var acks = result.GetProperty("acks").GetInt64();
        Assert.True(acks >= Typists.Length, $"only {acks} acknowledged edits");
        // Each acknowledged edit is exactly one revision: none lost, none applied twice.
        Assert.Equal(initial + acks, revision);
        Assert.Equal((text, revision), await server.ReadProposalAsync(id));

        await server.RestartAsync();
        Assert.Equal((text, revision), await server.ReadProposalAsync(id));
    }

    [Fact]
    public async Task A_client_that_drops_mid_typing_resyncs_without_losing_or_duplicating_its_edits()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "");

        // Client 0 drops its connection twice with an edit in flight, types on offline, reconnects.
        var result = await NodeScenario.RunAsync(new
        {
            mode = "reconnect",
            url = server.BaseUrl,
            proposalId = id,
            ops = 30,
            seed = 11,
            dropAt = new[] { 7, 19 },
            clients = new[] { new { member = "MY" }, new { member = "TH" }, new { member = "VN" } },
        });

        var (text, revision) = result.Converged();
        Assert.Equal(2, result.GetProperty("resyncs").GetInt32());
        Assert.Equal((text, revision), await server.ReadProposalAsync(id));
        var tokens = result.Strings("tokens");
        Assert.Equal(90, tokens.Length);
        var pieces = text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p + ";").ToList();
        Assert.Equal(tokens.Order(StringComparer.Ordinal), pieces.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_client_that_misses_pushed_edits_repairs_the_gap_with_GetEditsSince()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "Preventive diplomacy. ");

        var result = await NodeScenario.RunAsync(new
        {
            mode = "converge",
            url = server.BaseUrl,
            proposalId = id,
            ops = 25,
            seed = 23,
            pauseMs = 20,
            clients = new object[] { new { member = "MY", dropRate = 0.4 }, new { member = "TH" }, new { member = "ID" } },
        });

        var (text, revision) = result.Converged();
        Assert.True(result.GetProperty("repairs").GetInt32() > 0, "the lossy client never had to repair a gap");
        Assert.Equal((text, revision), await server.ReadProposalAsync(id));
    }

    [Fact]
    public async Task Invalid_operations_are_refused_with_invalid_op_and_change_nothing()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "Regional legal frameworks.");

        object?[] ops =
        [
            "not an array",
            null,
            new object[] { new { x = 1 } },
            new object[] { -3, "a" },
            new object[] { 1000, "a" },
            new object[] { new { d = 1000 } },
            new object[] { 1, 2 },
            new object[] { "" },
            new object[] { 5 },
            new object[] { true },
        ];
        var result = await NodeScenario.RunAsync(new { mode = "invalid", url = server.BaseUrl, proposalId = id, member = "MY", ops });

        Assert.All(result.Strings("codes"), code => Assert.Equal("invalid_op", code));
        Assert.Equal(result.GetProperty("before").ToString(), result.GetProperty("after").ToString());

        var stale = await NodeScenario.RunAsync(new { mode = "invalid", url = server.BaseUrl, proposalId = id, member = "MY", baseRevision = 99, ops = new[] { new[] { "x" } } });
        // A revision ahead of the proposal's is one storage lost (or never had): never silently used.
        Assert.Equal(["revision_lost"], stale.Strings("codes"));
        Assert.Equal(("Regional legal frameworks.", 0L), await server.ReadProposalAsync(id));
    }
}
