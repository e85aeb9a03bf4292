using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>Amendments and comments over the hub (docs/hub.md): pushed live to those who may see the proposal, refused with codes.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AnnotationsHubTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Text = "Member States should exchange information on maritime incidents.";
    private AscCollabApp _app = null!;
    private readonly List<HubConnection> _connections = [];

    public Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        _app.ServeOnLoopback();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Tabled_supported_and_accepted_live_each_page_sees_it_and_the_edit_is_the_authors()
    {
        var my = await _app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Maritime information"), Text);
        var (th, thEvents) = await Connect("TH");
        var (vn, vnEvents) = await Connect("VN");
        var (pen, penEvents) = await Connect("MY");
        foreach (var connection in new[] { th, vn, pen })
        {
            await connection.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
        }
        var start = Text.IndexOf("should", StringComparison.Ordinal);

        var tabled = await th.InvokeAsync<JsonElement>("TableAmendment", id, new { revision = 0, start, end = start + 6, replacement = "shall", justification = "A commitment." }).WithTimeout();
        Assert.Equal("a1", tabled.GetProperty("id").GetString());
        var seen = await vnEvents.Next("AmendmentChanged", e => e["amendment"]!.Str("status") == "Open");
        Assert.Equal(("a1", id, 0L), (seen["amendment"]!.Str("id"), seen.Str("proposalId"), seen.Number("revision")));

        await vn.InvokeAsync<JsonElement>("TakeAmendmentPosition", id, "a1", "Support").WithTimeout();
        var support = await thEvents.Next("AmendmentChanged", e => e["amendment"]!["positions"]!.AsArray().Count == 1);
        Assert.Equal(("VN", "Support"), (support["amendment"]!["positions"]![0]!.Str("member"), support["amendment"]!["positions"]![0]!.Str("stance")));

        var accepted = await pen.InvokeAsync<JsonElement>("AcceptAmendment", id, "a1").WithTimeout();
        Assert.Equal(1, accepted.GetProperty("revision").GetInt64());
        foreach (var events in new[] { thEvents, vnEvents, penEvents })
        {
            var edit = await events.Next("EditApplied", e => e.Number("revision") == 1);
            Assert.Equal("TH", edit.Str("member"));
            await events.Next("AmendmentChanged", e => e["amendment"]!.Str("status") == "Accepted");
        }

        var annotations = await vn.InvokeAsync<JsonElement>("GetAnnotations", id).WithTimeout();
        Assert.Equal(1, annotations.GetProperty("revision").GetInt64());
        Assert.Equal("Accepted", annotations.GetProperty("amendments")[0].GetProperty("status").GetString());

        var thread = await vn.InvokeAsync<JsonElement>("StartComment", id, new { revision = 1, start = 0, end = 6, text = "@TH fine?" }).WithTimeout();
        await thEvents.Next("CommentChanged", e => e["thread"]!.Str("id") == thread.GetProperty("id").GetString());
        await th.InvokeAsync<JsonElement>("ReplyToComment", id, "c1", new { text = "Fine." }).WithTimeout();
        await vnEvents.Next("CommentChanged", e => e["thread"]!["comments"]!.AsArray().Count == 2);
        await pen.InvokeAsync<JsonElement>("ResolveComment", id, "c1").WithTimeout();
        await thEvents.Next("CommentChanged", e => e["thread"]!["resolved"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Refusals_are_coded_and_a_confidential_group_drafts_annotations_reach_no_outsider()
    {
        var chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
        var group = await chair.SetUpGroup(["TH", "VN", "MY"], "TH");
        var my = await _app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Group draft"), Text, group);
        var (vn, _) = await Connect("VN");
        var (th, thEvents) = await Connect("TH");
        var (outsider, outsiderEvents) = await Connect("PH");
        await vn.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
        await th.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
        await Refused(outsider.InvokeAsync<JsonElement>("OpenProposal", id), "forbidden");
        await Refused(outsider.InvokeAsync<JsonElement>("GetAnnotations", id), "forbidden");
        await Refused(outsider.InvokeAsync<JsonElement>("TableAmendment", id, new { revision = 0, start = 0, end = 6, replacement = "All", justification = "x" }), "forbidden");

        await Refused(vn.InvokeAsync<JsonElement>("TableAmendment", id, new { revision = 0, start = 0, end = 600, replacement = "All", justification = "x" }), "invalid_input");
        await Refused(vn.InvokeAsync<JsonElement>("TableAmendment", id, new { revision = 5, start = 0, end = 6, replacement = "All", justification = "x" }), "stale_revision");
        await Refused(vn.InvokeAsync<JsonElement>("TableAmendment", id, new { revision = 0, start = 0, end = 6, replacement = "All", justification = new string('j', 2001) }), "too_large");
        await Refused(vn.InvokeAsync<JsonElement>("StartComment", id, new { revision = 0, start = 0, end = 6, text = "@PH?" }), "invalid_input");
        await Refused(vn.InvokeAsync<JsonElement>("AcceptAmendment", id, "a1"), "not_found");

        await vn.InvokeAsync<JsonElement>("TableAmendment", id, new { revision = 0, start = 0, end = 6, replacement = "All", justification = "Broader." }).WithTimeout();
        await Refused(vn.InvokeAsync<JsonElement>("AcceptAmendment", id, "a1"), "forbidden");
        await Refused(vn.InvokeAsync<JsonElement>("TakeAmendmentPosition", id, "a1", "Support"), "forbidden");
        await th.InvokeAsync<JsonElement>("AcceptAmendment", id, "a1").WithTimeout();
        await thEvents.Next("AmendmentChanged", e => e["amendment"]!.Str("status") == "Accepted");
        Assert.DoesNotContain(outsiderEvents.Seen, e => e.Method is "AmendmentChanged" or "CommentChanged" or "EditApplied");
    }

    private async Task<(HubConnection Connection, Recorder Events)> Connect(string member)
    {
        var token = (await _app.ClientFor(member)).DefaultRequestHeaders.Authorization!.Parameter;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.BaseUrl!, "hubs/collab"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var recorder = new Recorder();
        foreach (var method in new[] { "AmendmentChanged", "CommentChanged", "EditApplied" })
        {
            connection.On<JsonElement>(method, e => recorder.Add(method, e));
        }
        _connections.Add(connection);
        await connection.StartAsync().WithTimeout();
        return (connection, recorder);
    }

    private static async Task Refused<T>(Task<T> call, string code)
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => call.WithTimeout());
        Assert.Contains($"{code}:", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Pushed events of one connection, in arrival order.</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentQueue<(string Method, JsonNode Payload)> _seen = new();

        public IReadOnlyList<(string Method, JsonNode Payload)> Seen => [.. _seen];

        public void Add(string method, JsonElement payload) => _seen.Enqueue((method, JsonNode.Parse(payload.GetRawText())!));

        public async Task<JsonNode> Next(string method, Func<JsonNode, bool> match)
        {
            for (var i = 0; i < 400; i++)
            {
                if (_seen.FirstOrDefault(e => e.Method == method && match(e.Payload)) is { Payload: { } found })
                {
                    return found;
                }
                await Task.Delay(25);
            }
            Assert.Fail($"No {method} as expected arrived; seen: {string.Join(", ", _seen.Select(e => e.Method))}");
            return null!;
        }
    }
}
