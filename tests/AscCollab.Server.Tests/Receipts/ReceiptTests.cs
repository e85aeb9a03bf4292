using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AscCollab.Server.Tests;

/// <summary>Signed receipts of sign-offs, withdrawals and adoptions: what they say, who gets them, and checking them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ReceiptTests(AzuriteFixture azurite)
{
    private const string Text = "The Parties shall notify each other of major exercises.";

    [Fact]
    public async Task A_sign_off_answers_with_a_receipt_signed_over_what_was_committed()
    {
        await using var app = new AscCollabApp(azurite);
        var (id, my) = await Circulated(app);

        var answer = await my.SignOff(id, "MY", "Object", 0, reason: "  The notice period is too short.  ");

        // The snapshot as it always was, plus the receipt.
        Assert.Equal(id, answer.Str("proposalId"));
        Assert.Equal("Blocked", answer.Str("status"));
        var receipt = answer.Str("receipt");
        var header = ReceiptTools.Header(receipt);
        Assert.Equal(("ES256", "asccollab-receipt+jws"), (header.Str("alg"), header.Str("typ")));
        var jwks = await (await app.ClientFor("MY")).GetJson("/api/receipts/jwks");
        Assert.True(ReceiptTools.SignatureHolds(receipt, jwks));

        var claims = ReceiptTools.Claims(receipt);
        var audit = (await my.GetJson($"/api/proposals/{id}/audit")).AsArray();
        Assert.Equal("asccollab", claims.Str("iss"));
        Assert.Equal((id, "SignOff", "MY", "Object"), (claims.Str("proposal"), claims.Str("act"), claims.Str("member"), claims.Str("position")));
        Assert.Equal(ReceiptTools.Sha256("The notice period is too short."), claims.Str("reasonSha256"));
        Assert.Equal(0, claims.Number("revision"));
        Assert.Equal(ReceiptTools.Sha256(Text), claims.Str("textSha256"));
        Assert.Equal(answer.Str("textHash"), claims.Str("textSha256"));
        // The audit head once the objection was committed: its own entry and the status change it caused.
        Assert.Equal("status", audit[^1]!.Str("action"));
        Assert.Equal((audit[^1]!.Number("sequence"), audit[^1]!.Str("hash")), (claims["auditHead"]!.Number("sequence"), claims["auditHead"]!.Str("hash")));
        Assert.Equal(DateTimeOffset.Parse(audit[^1]!.Str("at"), System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(claims.Str("at"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(header.Str("kid"), claims.Str("kid"));
        Assert.Equal(jwks["keys"]![0]!.Str("kid"), claims.Str("kid"));

        var verified = await my.PostJson("/api/receipts/verify", new { receipt });
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal("Holds", verified.Str("storage"));
        Assert.Equal(claims.ToJsonString(), verified["claims"]!.ToJsonString());
    }

    [Fact]
    public async Task A_withdrawal_and_an_adoption_answer_with_receipts_and_each_member_downloads_only_its_own()
    {
        await using var app = new AscCollabApp(azurite);
        var (id, my) = await Circulated(app);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var secretariat = await app.ClientFor("ASEC", "secretariat");
        var th = await app.ClientFor("TH");

        var concur = (await my.SignOff(id, "MY", "Concur", 0)).Str("receipt");
        var withdrawn = await (await my.DeleteAsync($"/api/proposals/{id}/sign-offs/MY").WithTimeout()).Json(200);
        var withdrawal = ReceiptTools.Claims(withdrawn.Str("receipt"));
        Assert.Equal(("WithdrawSignOff", "MY", "Pending"), (withdrawal.Str("act"), withdrawal.Str("member"), withdrawal.Str("position")));
        Assert.Null(withdrawal["reasonSha256"]);
        foreach (var member in new[] { "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN" })
        {
            await (await app.ClientFor(member)).SignOff(id, member, "Concur", 0);
        }
        var adopted = await chair.PostJson($"/api/proposals/{id}/adoption", new { occasion = "59th AMM" });
        Assert.Equal("Adopted", adopted.Str("status"));
        var adoption = ReceiptTools.Claims(adopted.Str("receipt"));
        Assert.Equal(("Adoption", AscCollabApp.Chair), (adoption.Str("act"), adoption.Str("member")));
        Assert.Null(adoption["position"]);
        Assert.Equal(ReceiptTools.Sha256("59th AMM"), adoption.Str("reasonSha256"));

        // Malaysia: its own three receipts (concur, withdrawal, concur again) and the adoption; nobody else's.
        var mine = (await my.GetJson($"/api/proposals/{id}/receipts")).AsArray();
        Assert.Equal(["MY:SignOff", "MY:WithdrawSignOff", "MY:SignOff", "SG:Adoption"],
            mine.Select(r => $"{r!["claims"]!.Str("member")}:{r["claims"]!.Str("act")}"));
        // Downloaded again: the same facts, signed anew.
        Assert.Equal(Facts(ReceiptTools.Claims(concur)), Facts(mine[0]!["claims"]!));
        Assert.Equal(Facts(ReceiptTools.Claims(mine[0]!.Str("receipt"))), Facts(mine[0]!["claims"]!));
        Assert.True((await my.PostJson("/api/receipts/verify", new { receipt = mine[0]!.Str("receipt") }))["valid"]!.GetValue<bool>());

        var thai = (await th.GetJson($"/api/proposals/{id}/receipts")).AsArray();
        Assert.All(thai, r => Assert.Contains(r!["claims"]!.Str("member"), new[] { "TH", AscCollabApp.Chair }));
        Assert.Single(thai, r => r!["claims"]!.Str("act") == "SignOff");
        // The Chair and the secretariat see every member's.
        Assert.Equal(13, (await chair.GetJson($"/api/proposals/{id}/receipts")).AsArray().Count);
        Assert.Equal(13, (await secretariat.GetJson($"/api/proposals/{id}/receipts")).AsArray().Count);
    }

    [Fact]
    public async Task Receipts_of_a_group_draft_are_not_shown_outside_the_group()
    {
        await using var app = new AscCollabApp(azurite);
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var group = await chair.SetUpGroup(["MY", "PH", AscCollabApp.Chair], coordinator: "MY");
        var my = await app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Group hotline"), group: group);
        await chair.Circulate(id);
        await my.SignOff(id, "MY", "Concur", 0);

        await (await app.ClientFor("TH")).ProblemFromGet($"/api/proposals/{id}/receipts", 403, "forbidden");
        await my.ProblemFromGet("/api/proposals/not-an-id/receipts", 404, "not_found");
        Assert.Single((await my.GetJson($"/api/proposals/{id}/receipts")).AsArray());
    }

    [Fact]
    public async Task The_hub_sign_off_answers_the_summary_with_its_receipt()
    {
        await using var app = new AscCollabApp(azurite);
        var baseUrl = app.ServeOnLoopback();
        var (id, my) = await Circulated(app);
        var token = my.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "hubs/collab"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await hub.StartAsync().WithTimeout();

        var answer = JsonNode.Parse((await hub.InvokeAsync<JsonElement>("SignOff", id, "Abstain", null, 0L).WithTimeout()).GetRawText())!;

        Assert.Equal(id, answer.Str("proposalId"));
        Assert.Contains(answer["signOffs"]!.AsArray(), s => s!.Str("member") == "MY" && s!.Str("position") == "Abstain");
        var claims = ReceiptTools.Claims(answer.Str("receipt"));
        Assert.Equal(("SignOff", "MY", "Abstain"), (claims.Str("act"), claims.Str("member"), claims.Str("position")));
        Assert.True((await my.PostJson("/api/receipts/verify", new { receipt = answer.Str("receipt") }))["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_changed_receipt_is_refused_with_a_code_and_an_unknown_key_is_named()
    {
        await using var app = new AscCollabApp(azurite);
        var (id, my) = await Circulated(app);
        var receipt = (await my.SignOff(id, "MY", "Object", 0, reason: "Too short.")).Str("receipt");
        var parts = receipt.Split('.');

        // The payload changed: the objection turned into a concurrence.
        var forged = ReceiptTools.Claims(receipt);
        forged["position"] = "Concur";
        var changedPayload = $"{parts[0]}.{ReceiptTools.ToBase64Url(System.Text.Encoding.UTF8.GetBytes(forged.ToJsonString()))}.{parts[2]}";
        var refused = await my.ProblemFromPost("/api/receipts/verify", new { receipt = changedPayload }, 400, "receipt_signature_invalid");
        Assert.Contains("changed", refused.Str("detail"), StringComparison.Ordinal);

        // The signature changed (one bit).
        var signature = ReceiptTools.Base64Url(parts[2]);
        signature[10] ^= 1;
        await my.ProblemFromPost("/api/receipts/verify", new { receipt = $"{parts[0]}.{parts[1]}.{ReceiptTools.ToBase64Url(signature)}" }, 400, "receipt_signature_invalid");

        // Signed by a key this deployment never had, under a kid it does not know.
        var header = ReceiptTools.Header(receipt);
        header["kid"] = "someone-else";
        forged["kid"] = "someone-else";
        using var foreign = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var input = $"{ReceiptTools.ToBase64Url(System.Text.Encoding.UTF8.GetBytes(header.ToJsonString()))}.{ReceiptTools.ToBase64Url(System.Text.Encoding.UTF8.GetBytes(forged.ToJsonString()))}";
        var foreignReceipt = input + "." + ReceiptTools.ToBase64Url(foreign.SignData(System.Text.Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA256));
        var unknown = await my.ProblemFromPost("/api/receipts/verify", new { receipt = foreignReceipt }, 400, "receipt_key_unknown");
        Assert.Contains("someone-else", unknown.Str("detail"), StringComparison.Ordinal);

        // Not a receipt at all; no receipt.
        await my.ProblemFromPost("/api/receipts/verify", new { receipt = "not.a.receipt" }, 400, "invalid_receipt");
        await my.ProblemFromPost("/api/receipts/verify", new { receipt = parts[0] + "." + parts[1] }, 400, "invalid_receipt");
        await my.ProblemFromPost("/api/receipts/verify", new { receipt = new string('a', 9000) + ".b.c" }, 400, "invalid_receipt");
        await my.ProblemFromPost("/api/receipts/verify", new { }, 400, "invalid_input");
        // The original still holds.
        Assert.True((await my.PostJson("/api/receipts/verify", new { receipt }))["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_receipt_newer_than_storage_is_reported_and_logged_Critical_and_a_reused_sequence_as_different()
    {
        var prefix = AzuriteFixture.NewTablePrefix();
        var log = new CapturedLog();
        string receipt;
        PartitionSave save;
        string id;
        await using (var app = new AscCollabApp(azurite, prefix))
        {
            HttpClient my;
            (id, my) = await Circulated(app);
            save = await PartitionSave.TakeAsync(azurite.ConnectionString, prefix, id);
            receipt = (await my.SignOff(id, "MY", "Concur", 0)).Str("receipt");
            Assert.Equal("Holds", (await my.PostJson("/api/receipts/verify", new { receipt })).Str("storage"));

            // Storage goes back to before the sign-off (Azurite restarted from an older save).
            await save.RestoreAsync();

            var verified = await my.PostJson("/api/receipts/verify", new { receipt });
            Assert.False(verified["valid"]!.GetValue<bool>());
            Assert.Equal("NewerThanStorage", verified.Str("storage"));
            Assert.Contains("newer than storage", verified.Str("detail"), StringComparison.Ordinal);
            Assert.Equal(ReceiptTools.Claims(receipt)["auditHead"]!.Number("sequence") - 1, verified["stored"]!.Number("auditSequence"));
        }

        // The node is gone too; a new one on the same storage knows nothing of the sign-off, and the
        // next act takes the audit sequence the lost one had.
        await using var restarted = new AscCollabApp(azurite, prefix);
        await using var logged = restarted.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(log)));
        var sg = await ReceiptTools.ClientFor(logged, AscCollabApp.Chair);
        var lost = await sg.PostJson("/api/receipts/verify", new { receipt });
        Assert.Equal("NewerThanStorage", lost.Str("storage"));
        Assert.Contains(log.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("NewerThanStorage", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));

        await sg.SignOff(id, AscCollabApp.Chair, "Concur", 0);
        var differs = await sg.PostJson("/api/receipts/verify", new { receipt });
        Assert.False(differs["valid"]!.GetValue<bool>());
        Assert.Equal("DiffersFromStorage", differs.Str("storage"));
        Assert.Contains(log.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("DiffersFromStorage", StringComparison.Ordinal));

        // Both are integrity incidents the Chair and the secretariat see; checking again counts, not duplicates.
        await sg.PostJson("/api/receipts/verify", new { receipt });
        var incidents = (await (await ReceiptTools.ClientFor(logged, "ASEC", "secretariat")).GetJson("/api/integrity/incidents")).AsArray()
            .Where(i => i!["proposalId"]?.GetValue<string>() == id).Select(i => i!).ToList();
        var sequence = ReceiptTools.Claims(receipt)["auditHead"]!.Number("sequence");
        Assert.Contains(incidents, i => i.Str("kind") == "receipt_ahead" && i.Str("location") == $"audit {sequence}" && i.Str("reporter") == "receipts");
        var differing = Assert.Single(incidents, i => i.Str("kind") == "receipt_differs");
        Assert.Equal(2, differing.Number("occurrences"));
        Assert.Contains("MY SignOff on revision 0", differing.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_key_rotation_old_receipts_still_verify_and_new_ones_use_the_new_key()
    {
        var prefix = AzuriteFixture.NewTablePrefix();
        var first = TestKeys.NewReceiptKeyPem();
        var second = TestKeys.NewReceiptKeyPem();
        string old;
        string id;
        await using (var app = new AscCollabApp(azurite, prefix, settings: Keys(("2026-01", first))))
        {
            HttpClient my;
            (id, my) = await Circulated(app);
            old = (await my.SignOff(id, "MY", "Concur", 0)).Str("receipt");
            Assert.Equal("2026-01", ReceiptTools.Header(old).Str("kid"));
        }

        // Rotated: a new current key; the old one kept as a public key only (its private part destroyed).
        await using var rotated = new AscCollabApp(azurite, prefix, settings: Keys(("2026-01", TestKeys.PublicPemOf(first)), ("2026-07", second)));
        var th = await rotated.ClientFor("TH");
        var jwks = await th.GetJson("/api/receipts/jwks");
        Assert.Equal(["2026-07", "2026-01"], jwks["keys"]!.AsArray().Select(k => k!.Str("kid")));
        Assert.True(ReceiptTools.SignatureHolds(old, jwks));
        var verified = await th.PostJson("/api/receipts/verify", new { receipt = old });
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal("2026-01", verified.Str("kid"));

        var fresh = (await th.SignOff(id, "TH", "Concur", 0)).Str("receipt");
        Assert.Equal("2026-07", ReceiptTools.Header(fresh).Str("kid"));
        Assert.True((await th.PostJson("/api/receipts/verify", new { receipt = fresh }))["valid"]!.GetValue<bool>());
        // Malaysia's receipt downloaded again is signed with the current key.
        var again = (await (await rotated.ClientFor("MY")).GetJson($"/api/proposals/{id}/receipts")).AsArray().Single();
        Assert.Equal("2026-07", ReceiptTools.Header(again!.Str("receipt")).Str("kid"));
    }

    private static Dictionary<string, string?> Keys(params (string Kid, string Pem)[] keys)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"AscCollab:Receipts:SigningKeys:{i}:Kid"] = keys[i].Kid;
            settings[$"AscCollab:Receipts:SigningKeys:{i}:Pem"] = keys[i].Pem;
        }
        return settings;
    }

    private static string[] Facts(JsonNode claims) =>
        [.. claims.AsObject().Where(p => p.Key is not ("iat" or "kid")).Select(p => $"{p.Key}={p.Value?.ToJsonString()}")];

    /// <summary>A proposal by Malaysia, circulated to all members by the Chair under unanimity.</summary>
    private static async Task<(string Id, HttpClient My)> Circulated(AscCollabApp app)
    {
        var my = await app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Notification of exercises"), Text);
        await (await app.ClientFor(AscCollabApp.Chair, "chair")).Circulate(id);
        return (id, my);
    }
}
