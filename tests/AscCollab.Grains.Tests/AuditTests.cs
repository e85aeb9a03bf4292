using System.Text.Json;
using AscCollab.Runtime;

namespace AscCollab.Grains.Tests;

public sealed class AuditTests
{
    [Fact]
    public async Task The_audit_chain_verifies_and_detects_a_modified_stored_entry()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id);
        await Drafts.Sign(host, id, "TH", Position.Object, "Too early.");
        var proposal = host.Proposal(id);
        var intact = await proposal.VerifyAudit(Callers.Chair).Within();
        Assert.True(intact.Intact);
        Assert.Equal(5, intact.Entries);

        // Someone with storage access rewrites TH's objection into a concurrence.
        var grain = new GrainId("proposal", id);
        var row = (await host.Storage.ReadLogAsync(grain, "audit", 4, 4, default).Within()).Single();
        var entry = JsonSerializer.Deserialize<AuditEntry>(row.Json, GrainJson.Options)!;
        Assert.Equal("sign-off", entry.Action);
        host.Storage.Tamper(grain, "audit", 4, JsonSerializer.Serialize(entry with { Detail = entry.Detail.Replace("Object", "Concur", StringComparison.Ordinal) }, GrainJson.Options));

        var broken = await proposal.VerifyAudit(Callers.Chair).Within();
        Assert.False(broken.Intact);
        Assert.Equal(4, broken.FirstBrokenSequence);
    }

    [Fact]
    public async Task Recomputing_the_hash_of_a_modified_entry_still_breaks_the_chain_at_the_next_one()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id);
        var grain = new GrainId("proposal", id);
        var rows = await host.Storage.ReadLogAsync(grain, "audit", 1, 10, default).Within();
        var first = JsonSerializer.Deserialize<AuditEntry>(rows[0].Json, GrainJson.Options)!;
        var forged = AuditChain.Next(0, AuditChain.Genesis, first.At, new Caller("PH", CallerRole.Delegate), first.Action, first.Detail, first.Revision);
        host.Storage.Tamper(grain, "audit", 1, JsonSerializer.Serialize(forged, GrainJson.Options));

        var result = await host.Proposal(id).VerifyAudit(Callers.Secretariat).Within();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void A_truncated_trail_does_not_verify()
    {
        var caller = new Caller("SG", CallerRole.Delegate);
        var one = AuditChain.Next(0, AuditChain.Genesis, GrainsHost.Start, caller, "create", "x", 0);
        var two = AuditChain.Next(1, one.Hash, GrainsHost.Start, caller, "edit", "y", 1);
        Assert.True(AuditChain.Verify([one, two], 2, two.Hash).Intact);
        Assert.False(AuditChain.Verify([one], 2, two.Hash).Intact);
        Assert.False(AuditChain.Verify([two], 2, two.Hash).Intact);
        Assert.False(AuditChain.Verify([one, two with { Revision = 5 }], 2, two.Hash).Intact);
    }
}
