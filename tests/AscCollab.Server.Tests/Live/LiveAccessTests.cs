using System.Text.Json;
using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>Who may open, edit and watch what on the hub, and who hears about it.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LiveAccessTests(AzuriteFixture azurite)
{
    private static readonly string[] Participants = ["MY", "TH"];

    [Fact]
    public async Task A_delegation_cannot_open_or_edit_what_it_may_not_and_the_secretariat_never_edits()
    {
        await using var server = LiveServer.Start(azurite);
        var draft = await ConfidentialDraftAsync(server);
        var open = await server.CreateProposalAsync("ID", "Open to all members.");

        var result = await NodeScenario.RunAsync(new
        {
            mode = "access",
            url = server.BaseUrl,
            proposalId = draft,
            attempts = new object[]
            {
                new { member = "ID", role = "delegate", action = "open", expect = "forbidden" },
                new { member = "ID", role = "delegate", action = "edit", baseRevision = 0, text = "x", expect = "forbidden" },
                new { member = "ID", role = "delegate", action = "editsSince", expect = "forbidden" },
                new { member = "VN", role = "chair", action = "open", expect = "forbidden" },
                new { member = "ASEC", role = "secretariat", action = "open", expect = "ok" },
                new { member = "ASEC", role = "secretariat", action = "edit", baseRevision = 0, text = "x", expect = "forbidden" },
                new { member = "ASEC", role = "secretariat", action = "edit", proposalId = open, baseRevision = 0, text = "x", expect = "forbidden" },
                new { member = LiveServer.Chair, role = "chair", action = "open", expect = "ok" },
                new { member = "TH", role = "delegate", action = "open", expect = "ok" },
                new { member = "TH", role = "delegate", action = "edit", baseRevision = 0, text = "x", expect = "ok" },
                new { member = "ID", role = "delegate", action = "edit", proposalId = open, baseRevision = 0, text = "y", expect = "ok" },
                new { member = "ID", role = "delegate", action = "open", proposalId = "p-aaaaaaaaaa", expect = "not_found" },
                new { member = "ID", role = "delegate", action = "open", proposalId = "../x", expect = "not_found" },
                new { member = "ID", role = "delegate", action = "dashboard", expect = "forbidden" },
                new { member = "VN", role = "chair", action = "dashboard", expect = "forbidden" },
                new { member = LiveServer.Chair, role = "chair", action = "dashboard", expect = "ok" },
                new { member = "ASEC", role = "secretariat", action = "dashboard", expect = "ok" },
                new { member = "", role = "", action = "connect", token = "not-a-token", expect = "unauthorized" },
            },
        });

        foreach (var attempt in result.GetProperty("results").EnumerateArray())
        {
            Assert.True(attempt.GetProperty("expect").GetString() == attempt.GetProperty("code").GetString(), attempt.ToString());
        }
        Assert.Equal(("xConfidential draft of the group.", 1L), await server.ReadProposalAsync(draft, "MY"));
        Assert.Equal(("yOpen to all members.", 1L), await server.ReadProposalAsync(open, "ID"));
    }

    [Fact]
    public async Task A_sign_off_reaches_the_Chairs_dashboard_live_and_not_a_non_participant()
    {
        await using var server = LiveServer.Start(azurite);
        var draft = await ConfidentialDraftAsync(server);
        await server.SendAsync(HttpMethod.Post, $"/api/proposals/{draft}/circulate", LiveServer.Chair, "chair", new { rule = "Unanimity" });

        var result = await NodeScenario.RunAsync(new
        {
            mode = "watch",
            url = server.BaseUrl,
            proposalId = draft,
            signer = "TH",
            quietMs = 1000,
            watchers = new object[]
            {
                new { member = LiveServer.Chair, role = "chair", dashboard = true },
                new { member = "ASEC", role = "secretariat", dashboard = true },
                new { member = "MY", role = "delegate", open = true },
                new { member = "ID", role = "delegate", open = true },
                new { member = "VN", role = "chair", dashboard = true },
            },
        });

        Assert.Equal("ok", result.GetProperty("signed").GetString());
        var watchers = result.GetProperty("watchers").EnumerateArray().ToDictionary(w => $"{w.GetProperty("member").GetString()}/{w.GetProperty("role").GetString()}");
        Assert.True(Got(watchers[$"{LiveServer.Chair}/chair"], "ProposalUpdated"), watchers[$"{LiveServer.Chair}/chair"].ToString());
        Assert.Contains(watchers[$"{LiveServer.Chair}/chair"].GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetString() == "ProgressChanged");
        Assert.True(Got(watchers["ASEC/secretariat"], "ProposalUpdated"), watchers["ASEC/secretariat"].ToString());
        Assert.True(Got(watchers["MY/delegate"], "ProposalUpdated"), watchers["MY/delegate"].ToString());

        // The outsider could not open the draft and hears nothing about it; nor does a Chair token of a member not in the chair.
        Assert.Equal("forbidden", watchers["ID/delegate"].GetProperty("setup").GetString());
        Assert.Equal("forbidden", watchers["VN/chair"].GetProperty("setup").GetString());
        foreach (var outsider in new[] { watchers["ID/delegate"], watchers["VN/chair"] })
        {
            Assert.DoesNotContain(outsider.GetProperty("events").EnumerateArray(), e => e.GetProperty("about").GetBoolean());
            Assert.DoesNotContain(outsider.GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetString() == "ProgressChanged");
        }
    }

    private static bool Got(JsonElement watcher, string name) =>
        watcher.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("event").GetString() == name && e.GetProperty("about").GetBoolean());

    /// <summary>A draft of an ad-hoc group of MY and TH: confidential to them, the Chair and the secretariat.</summary>
    private static async Task<string> ConfidentialDraftAsync(LiveServer server)
    {
        var group = "live-" + Guid.NewGuid().ToString("N")[..8];
        await server.SendAsync(HttpMethod.Post, "/api/groups", LiveServer.Chair, "chair", new
        {
            id = group,
            name = "Live test group",
            mandate = "Draft measures for the live tests.",
            coordinator = "MY",
            activities = new[] { "common-political-values" },
            participants = Participants,
        });
        var created = await server.SendAsync(HttpMethod.Post, "/api/proposals", "MY", body: new { activity = "common-political-values", title = "Group draft", text = "Confidential draft of the group.", group });
        return created.GetProperty("id").GetString()!;
    }
}
