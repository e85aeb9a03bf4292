using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>Structure and versions pushed live to those who may see the proposal, and to nobody else (docs/hub.md).</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LiveDraftingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Structure_and_version_pushes_reach_the_group_and_never_a_non_participant()
    {
        await using var server = LiveServer.Start(azurite);
        var group = "live-" + Guid.NewGuid().ToString("N")[..8];
        await server.SendAsync(HttpMethod.Post, "/api/groups", LiveServer.Chair, "chair", new
        {
            id = group, name = "Live drafting group", mandate = "Draft.", coordinator = "MY",
            activities = new[] { "common-political-values" }, participants = new[] { "MY", "TH" },
        });
        var id = await server.CreateProposalAsync("MY", "States [shall][should] act.", group);

        var received = new ConcurrentQueue<(string Who, string Event, JsonElement Body)>();
        async Task<HubConnection> Connect(string member)
        {
            var token = await server.TokenAsync(member);
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(server.BaseUrl), "hubs/collab"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .Build();
            hub.On<JsonElement>("StructureChanged", body => received.Enqueue((member, "StructureChanged", body)));
            hub.On<JsonElement>("VersionRecorded", body => received.Enqueue((member, "VersionRecorded", body)));
            await hub.StartAsync().WithTimeout();
            return hub;
        }
        await using var th = await Connect("TH");
        await using var vn = await Connect("VN");
        await th.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout();
        var outsider = await Assert.ThrowsAnyAsync<Exception>(() => vn.InvokeAsync<JsonElement>("OpenProposal", id).WithTimeout());
        Assert.Contains("forbidden", outsider.Message);
        var structureRefused = await Assert.ThrowsAnyAsync<Exception>(() => vn.InvokeAsync<JsonElement>("GetStructure", id).WithTimeout());
        Assert.Contains("forbidden", structureRefused.Message);

        var structure = await th.InvokeAsync<JsonElement>("GetStructure", id).WithTimeout();
        Assert.Equal("Bracketed", structure.GetProperty("paragraphs")[0].GetProperty("status").GetString());
        Assert.Single((await th.InvokeAsync<JsonElement>("GetVersions", id).WithTimeout()).EnumerateArray());

        // MY (over REST) agrees the brackets away and names a version: TH hears both, VN nothing.
        await server.SendAsync(HttpMethod.Post, $"/api/proposals/{id}/edits", "MY", body: new { baseRevision = 0, op = new object[] { 7, new { d = 15 }, "shall" } });
        await server.SendAsync(HttpMethod.Post, $"/api/proposals/{id}/versions", "MY", body: new { name = "Agreed in the group" });
        await Workflow.Eventually(() => Task.FromResult(received.Any(r => r.Who == "TH" && r.Event == "StructureChanged"
            && r.Body.GetProperty("structure").GetProperty("paragraphs")[0].GetProperty("status").GetString() == "Agreed")), "TH hears the paragraph agreed");
        await Workflow.Eventually(() => Task.FromResult(received.Any(r => r.Who == "TH" && r.Event == "VersionRecorded"
            && r.Body.GetProperty("version").GetProperty("name").GetString() == "Agreed in the group")), "TH hears the version");
        Assert.Equal(id, received.First(r => r.Who == "TH").Body.GetProperty("proposalId").GetString());
        Assert.DoesNotContain(received, r => r.Who == "VN");
    }
}
