using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscCollab.Text;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// Two real server processes on the same tables form one Orleans cluster: health sees both, a
/// client on one node gets what is done through the other, and killing a node (SIGKILL) loses no
/// acknowledged edit, applies none twice and fires a silence deadline once.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed partial class ClusterTests(AzuriteFixture azurite)
{
    private const string Text = "The Parties shall notify each other of major exercises.";

    [Fact]
    public async Task Two_nodes_on_the_same_tables_form_one_cluster()
    {
        await using var nodes = await TwoNodes.StartAsync(azurite);

        foreach (var node in new[] { nodes.A, nodes.B })
        {
            var health = await node.HealthAsync();
            Assert.NotNull(health);
            Assert.Equal("ok", health["status"]!.GetValue<string>());
            Assert.Equal(2, health["silos"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task A_client_on_one_node_sees_every_edit_and_sign_off_made_through_the_other_in_order()
    {
        await using var nodes = await TwoNodes.StartAsync(azurite);
        // Tokens of node A only: a Development token is accepted by every node of the cluster.
        var myToken = await nodes.A.TokenAsync("MY");
        var thToken = await nodes.A.TokenAsync("TH");
        using var my = nodes.A.ClientWith(myToken);
        using var chair = nodes.A.ClientWith(await nodes.A.TokenAsync(AscCollabApp.Chair, "chair"));
        var id = await my.Propose(Workflow.Unique("Cross-node pushes"), Text);

        var edits = new ConcurrentQueue<long>();
        var updates = new ConcurrentQueue<JsonElement>();
        await using var reader = nodes.B.Hub(thToken);
        reader.On<JsonElement>("EditApplied", e => edits.Enqueue(e.GetProperty("revision").GetInt64()));
        reader.On<JsonElement>("ProposalUpdated", e => updates.Enqueue(e.GetProperty("summary").Clone()));
        await reader.StartAsync().WithTimeout();
        var opened = await reader.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
        Assert.Equal(0, opened.GetProperty("revision").GetInt64());

        const int count = 40;
        await using var writer = nodes.A.Hub(myToken);
        await writer.StartAsync().WithTimeout();
        long revision = 0;
        for (var i = 0; i < count; i++)
        {
            var ack = await writer.InvokeAsync<JsonElement>("SubmitEdit", id, revision, TextOperation.Insert(0, $"<{i}>")).WithTimeout();
            revision = ack.GetProperty("revision").GetInt64();
        }
        Assert.Equal(count, revision);

        await TestTimeouts.UntilAsync(() => Task.FromResult(edits.Count >= count), $"node B's client received {count} EditApplied");
        Assert.Equal(Enumerable.Range(1, count).Select(r => (long)r), edits);

        // A sign-off through node A reaches the client on node B.
        await chair.Circulate(id);
        await my.SignOff(id, "MY", "Concur", count);
        await TestTimeouts.UntilAsync(() => Task.FromResult(updates.Any(s => SignedOff(s, "MY"))), "node B's client received MY's sign-off");
        Assert.Equal(count, edits.Count);
    }

    private static bool SignedOff(JsonElement summary, string member) =>
        summary.GetProperty("signOffs").EnumerateArray().Any(s => s.GetProperty("member").GetString() == member && s.GetProperty("position").GetString() == "Concur");

    [Fact]
    public async Task Killing_a_node_while_clients_type_loses_no_acknowledged_edit_and_applies_none_twice()
    {
        const int clients = 4;
        const int editsEach = 30;
        const int killAfter = 40;
        await using var nodes = await TwoNodes.StartAsync(azurite);
        string[] members = ["MY", "TH", "ID", "VN"];
        var tokens = new string[clients];
        for (var c = 0; c < clients; c++)
        {
            tokens[c] = await nodes.A.TokenAsync(members[c]);
        }
        using var proposer = nodes.A.ClientWith(tokens[0]);
        var id = await proposer.Propose(Workflow.Unique("Typing through a failover"), Text);

        var acked = 0;
        var typists = Enumerable.Range(0, clients).Select(c => new Typist(c, id, tokens[c], nodes.A, nodes.B)).ToList();
        var typing = typists.Select(t => t.TypeAsync(editsEach, () => Interlocked.Increment(ref acked))).ToList();
        await TestTimeouts.UntilAsync(() => Task.FromResult(Volatile.Read(ref acked) >= killAfter || typing.All(t => t.IsCompleted)), $"{killAfter} edits acknowledged through node A");
        Assert.True(Volatile.Read(ref acked) < clients * editsEach, "every edit was acknowledged before the kill: raise the edit count");
        nodes.A.Kill();

        try
        {
            await Task.WhenAll(typing).WithTimeout(TimeSpan.FromMinutes(3));
        }
        catch (Exception ex)
        {
            Assert.Fail($"typing failed: {ex}{Environment.NewLine}{nodes.B.Output()}");
        }
        finally
        {
            foreach (var typist in typists)
            {
                await typist.DisposeAsync();
            }
        }

        Assert.Contains(typists, t => t.Moved);

        // Node B's log holds every acknowledged edit once, at the revision acknowledged, and nothing else.
        await using var checker = nodes.B.Hub(tokens[1]);
        await checker.StartAsync().WithTimeout();
        var log = await checker.InvokeAsync<JsonElement>("GetEditsSince", id, 0L).WithTimeout();
        var edits = log.EnumerateArray().Select(e => (Revision: e.GetProperty("revision").GetInt64(), Op: e.GetProperty("op").Deserialize<TextOperation>()!)).ToList();
        Assert.Equal(Enumerable.Range(1, edits.Count).Select(r => (long)r), edits.Select(e => e.Revision));
        var inserted = edits.SelectMany(e => e.Op.Components.OfType<Insert>().Select(i => (e.Revision, i.Text))).ToList();
        var all = typists.SelectMany(t => t.Acknowledged).ToList();
        Assert.Equal(clients * editsEach, all.Count);
        foreach (var (text, revision) in all)
        {
            var applied = inserted.Where(i => i.Text == text).ToList();
            Assert.True(applied.Count == 1, $"{text} (acknowledged at revision {revision}) is in the log {applied.Count} times");
            Assert.Equal(revision, applied[0].Revision);
        }
        Assert.Equal(all.Count, edits.Count);

        // The committed text is the replay of the log.
        using var reader = nodes.B.ClientWith(tokens[1]);
        var proposal = await reader.Proposal(id);
        var replayed = edits.Aggregate(Text, (text, edit) => edit.Op.Apply(text));
        Assert.Equal(replayed, proposal.Str("text"));
        Assert.Equal(edits.Count, proposal.Number("revision"));
    }

    [Fact]
    public async Task A_silence_deadline_fires_once_when_the_node_holding_the_proposal_dies()
    {
        var prefix = AzuriteFixture.NewTablePrefix();
        await using var a = await ServerNode.StartAsync("node A", azurite.ConnectionString, prefix);
        await TwoNodes.WaitForSilosAsync(1, a);
        // Proposed while node A is the only silo: its grain lives on node A.
        using var my = a.ClientWith(await a.TokenAsync("MY"));
        var id = await my.Propose(Workflow.Unique("Silence across a failover"), Text);
        await using var nodes = await TwoNodes.JoinAsync(a, azurite);
        using var chair = a.ClientWith(await a.TokenAsync(AscCollabApp.Chair, "chair"));
        using var reader = nodes.B.ClientWith(await a.TokenAsync("VN"));

        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        await chair.Circulate(id, "SilenceProcedure", deadline: deadline);
        Assert.Equal(1, await Reminders.CountAsync(azurite.ConnectionString, prefix, "deadline"));
        a.Kill();
        Assert.True(DateTimeOffset.UtcNow < deadline, "node A was killed after the deadline: it may have fired there");

        // While the cluster settles node B may answer 503 unavailable ("nothing applied, try again").
        await Workflow.Eventually(async () => await StatusAsync(reader, id) == "ConsensusReached",
            "the silence deadline passes on node B", TimeSpan.FromSeconds(90));
        // Once the reminder row is gone nothing can deliver the deadline again.
        await TestTimeouts.UntilAsync(async () => await Reminders.CountAsync(azurite.ConnectionString, prefix, "deadline") == 0, "the deadline reminder is unregistered", TimeSpan.FromSeconds(60));
        var audit = (await reader.GetJson($"/api/proposals/{id}/audit")).AsArray();
        Assert.Single(audit, e => e!.Str("action") == "silence-deadline");
        Assert.True((await reader.GetJson($"/api/proposals/{id}/audit/verify"))["intact"]!.GetValue<bool>());
    }

    /// <summary>The proposal's status, or null while the node answers 503 (a failover settling).</summary>
    private static async Task<string?> StatusAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/proposals/{id}").WithTimeout();
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }
        return (await response.Json(200)).Str("status");
    }
}
