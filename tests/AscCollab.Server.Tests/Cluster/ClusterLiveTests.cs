using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// Live state across the two nodes of one cluster: presence (who has a proposal open, where their
/// cursor is) made on node A reaches a client on node B and leaves it again, and the dashboard
/// watched on node B follows workflow steps taken through node A's REST API.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ClusterLiveTests(AzuriteFixture azurite)
{
    private const string Text = "The Parties shall notify each other of major exercises.";

    /// <summary>Reports are re-sent every 5 s and a silent node's expire after three intervals (15 s); 30 s leaves room for a busy machine.</summary>
    private static readonly TimeSpan PresenceGoneTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Presence_made_on_one_node_reaches_the_other_and_leaves_it_when_the_connection_closes()
    {
        await using var nodes = await TwoNodes.StartAsync(azurite);
        var myToken = await nodes.A.TokenAsync("MY");
        var thToken = await nodes.A.TokenAsync("TH");
        using var my = nodes.A.ClientWith(myToken);
        var id = await my.Propose(Workflow.Unique("Cross-node presence"), Text);

        var seen = new ConcurrentQueue<JsonElement>();
        await using var th = nodes.B.Hub(thToken);
        th.On<JsonElement>("PresenceChanged", p =>
        {
            if (p.GetProperty("proposalId").GetString() == id)
            {
                seen.Enqueue(p.Clone());
            }
        });
        await th.StartAsync().WithTimeout();
        await th.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();

        var myHub = nodes.A.Hub(myToken);
        string myConnection;
        try
        {
            await myHub.StartAsync().WithTimeout();
            var opened = await myHub.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
            myConnection = opened.GetProperty("connectionId").GetString()!;
            await myHub.InvokeAsync("UpdateCursor", id, 0L, new { anchor = 4, head = 9 }).WithTimeout();

            // Node B's client is told MY is here, with MY's connection and cursor.
            await Until(() => seen.Any(p => Lists(p, "MY") && HasCursor(p, myConnection, 4, 9)),
                "node B's client received a PresenceChanged listing MY (on node A) with its cursor", TimeSpan.FromSeconds(20), seen, nodes);
        }
        finally
        {
            // MY's connection closes: node A drops it from the room (and the room with it).
            await myHub.DisposeAsync().AsTask().WithTimeout();
        }

        var before = seen.Count;
        await Until(() => seen.Skip(before).Any(p => !Lists(p, "MY") && !Mentions(p, myConnection)),
            $"node B's client received a PresenceChanged without MY after MY's connection on node A closed (remote reports expire after 3 × PresenceReportInterval)",
            PresenceGoneTimeout, seen, nodes, async () =>
            {
                // What a fresh snapshot on node B says, to tell "expired but never pushed" from "still reported".
                var snapshot = await th.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
                return $"OpenProposal on node B now: members {snapshot.GetProperty("members")}, editors {snapshot.GetProperty("editors")}";
            });
        var last = seen.Last();
        Assert.False(Lists(last, "MY"), $"the last presence on node B still lists MY: {last}");
        Assert.True(Lists(last, "TH"), $"the last presence on node B lost TH: {last}");
    }

    [Fact]
    public async Task The_dashboard_watched_on_one_node_follows_workflow_steps_taken_through_the_other()
    {
        await using var nodes = await TwoNodes.StartAsync(azurite);
        using var my = nodes.A.ClientWith(await nodes.A.TokenAsync("MY"));
        using var chair = nodes.A.ClientWith(await nodes.A.TokenAsync(AscCollabApp.Chair, "chair"));
        var id = await my.Propose(Workflow.Unique("Cross-node dashboard"), Text);

        var progress = new ConcurrentQueue<JsonElement>();
        var updates = new ConcurrentQueue<JsonElement>();
        await using var secretariat = nodes.B.Hub(await nodes.B.TokenAsync("ASEC", "secretariat"));
        secretariat.On<JsonElement>("ProgressChanged", p => progress.Enqueue(p.Clone()));
        secretariat.On<JsonElement>("ProposalUpdated", u =>
        {
            if (u.GetProperty("proposalId").GetString() == id)
            {
                updates.Enqueue(u.GetProperty("summary").Clone());
            }
        });
        await secretariat.StartAsync().WithTimeout();
        var overview = await secretariat.InvokeAsync<JsonElement>("WatchDashboard").WithTimeout();
        Assert.Equal(JsonValueKind.Object, overview.ValueKind);

        // Circulation through node A.
        await chair.Circulate(id);
        await TestTimeouts.UntilAsync(() => Task.FromResult(updates.Any(s => s.GetProperty("status").GetString() == "UnderConsideration")),
            $"node B's dashboard watcher received the circulation made through node A (ProposalUpdated seen: {updates.Count})");
        await TestTimeouts.UntilAsync(() => Task.FromResult(!progress.IsEmpty),
            "node B's dashboard watcher received a ProgressChanged after the circulation made through node A");

        // A sign-off through node A.
        var progressBefore = progress.Count;
        await my.SignOff(id, "MY", "Concur", 0);
        await TestTimeouts.UntilAsync(() => Task.FromResult(updates.Any(s => SignedOff(s, "MY"))),
            "node B's dashboard watcher received MY's sign-off made through node A");
        await TestTimeouts.UntilAsync(() => Task.FromResult(progress.Count > progressBefore),
            "node B's dashboard watcher received a ProgressChanged after the sign-off made through node A");
    }

    private static bool SignedOff(JsonElement summary, string member) =>
        summary.GetProperty("signOffs").EnumerateArray().Any(s => s.GetProperty("member").GetString() == member && s.GetProperty("position").GetString() == "Concur");

    /// <summary>True when <paramref name="member"/> is among the presence's <c>members</c>.</summary>
    private static bool Lists(JsonElement presence, string member) =>
        presence.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("member").GetString() == member && m.GetProperty("connections").GetInt32() > 0);

    private static bool Mentions(JsonElement presence, string connectionId) =>
        presence.GetProperty("editors").EnumerateArray().Any(e => e.GetProperty("connectionId").GetString() == connectionId);

    private static bool HasCursor(JsonElement presence, string connectionId, int anchor, int head) =>
        presence.GetProperty("editors").EnumerateArray().Any(e =>
            e.GetProperty("connectionId").GetString() == connectionId
            && e.GetProperty("member").GetString() == "MY"
            && e.GetProperty("cursor") is { ValueKind: JsonValueKind.Object } c
            && c.GetProperty("anchor").GetInt32() == anchor
            && c.GetProperty("head").GetInt32() == head);

    /// <summary><see cref="TestTimeouts.UntilAsync"/> that fails with what node B's client saw, an optional probe and both nodes' output.</summary>
    private static async Task Until(Func<bool> condition, string what, TimeSpan timeout, ConcurrentQueue<JsonElement> seen, TwoNodes nodes, Func<Task<string>>? probe = null)
    {
        try
        {
            await TestTimeouts.UntilAsync(() => Task.FromResult(condition()), what, timeout);
        }
        catch (TimeoutException ex)
        {
            var probed = "";
            if (probe is not null)
            {
                try
                {
                    probed = await probe();
                }
                catch (Exception probeFailed)
                {
                    probed = $"probe failed: {probeFailed.Message}";
                }
            }
            Assert.Fail($"{ex.Message}{Environment.NewLine}{seen.Count} PresenceChanged on node B:{Environment.NewLine}"
                + string.Join(Environment.NewLine, seen.Select(p => $"  members {p.GetProperty("members")} editors {p.GetProperty("editors")}"))
                + Environment.NewLine + probed + Environment.NewLine + nodes.A.Output() + Environment.NewLine + nodes.B.Output());
        }
    }
}
