using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AscCollab.Server.Tests;

/// <summary>The calls a scenario is made of, over HTTP exactly as a client makes them.</summary>
public static class Workflow
{
    public const string Activity = "confidence-building-measures";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<string> Propose(this HttpClient client, string title, string text = "The Parties shall notify each other of major exercises.", string? group = null, string activity = Activity)
    {
        var created = await client.PostJson("/api/proposals", new { activity, title, text, group }, 201);
        Assert.Equal(0, created.Number("revision"));
        return created.Str("id");
    }

    public static Task<JsonNode> Proposal(this HttpClient client, string id) => client.GetJson($"/api/proposals/{id}");

    public static Task<JsonNode> Circulate(this HttpClient chair, string id, string rule = "Unanimity", int? quorum = null, DateTimeOffset? deadline = null) =>
        chair.PostJson($"/api/proposals/{id}/circulate", new { rule, quorum, deadline });

    public static Task<JsonNode> SignOff(this HttpClient client, string id, string member, string position, long revision, string? reason = null) =>
        client.PutJson($"/api/proposals/{id}/sign-offs/{member}", new { position, revision, reason });

    public static async Task<string> SetUpGroup(this HttpClient chair, IReadOnlyList<string> participants, string coordinator)
    {
        var id = Unique("cbm-group");
        var group = await chair.PostJson("/api/groups", new
        {
            id,
            name = "Ad-hoc group on confidence building",
            mandate = "Draft confidence building measures for the AMM.",
            participants,
            coordinator,
            activities = new[] { Activity },
        }, 201);
        Assert.Equal(id, group.Str("groupId"));
        return id;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; for state that one-way notifications bring (progress, groups, to-dos).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (await condition().WithTimeout())
            {
                return;
            }
            if (clock.Elapsed > limit)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"Not within {limit.TotalSeconds:0} s: {what}");
    }

    /// <summary>What must not move when a request is refused: text, revision, status, sign-offs and the audit trail's length.</summary>
    public static async Task<string> Fingerprint(this HttpClient reader, string id)
    {
        var proposal = await reader.Proposal(id);
        var audit = (await reader.GetJson($"/api/proposals/{id}/audit")).AsArray();
        return $"{proposal.Number("revision")}|{proposal.Str("status")}|{proposal.Str("text")}|{proposal["signOffs"]!.ToJsonString()}|{audit.Count}";
    }
}
