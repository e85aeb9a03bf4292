using AscCollab.Text;
using Orleans.Runtime;

namespace AscCollab.Grains.Tests;

/// <summary>
/// Storage that goes back to an older save (Azurite restarted after a SIGKILL: it saves to disk
/// every 5 s) while the proposal's activation lives: what was acknowledged is written again from
/// memory, and no acknowledged revision is ever given to other content.
/// </summary>
public sealed class StorageRollbackTests
{
    [Fact]
    public async Task Storage_that_lost_acknowledged_edits_is_repaired_and_no_revision_is_reused()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        await Drafts.Circulate(host, id);
        var proposal = host.Proposal(id);
        await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, " one")).Within();
        var saved = storage.Save();

        // Acknowledged after the last save: these are what the crash loses.
        var two = await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(8, " two")).Within();
        await Drafts.Sign(host, id, "PH", Position.Concur);
        var three = await proposal.SubmitEdit(Callers.Delegate("TH"), 2, TextOperation.Insert(12, " three")).Within();
        var acknowledged = await proposal.GetEditsSince(Callers.Delegate("SG"), 0).Within();
        var auditBefore = await proposal.GetAudit(Callers.Delegate("SG")).Within();
        storage.RollBack(saved);

        var four = await proposal.SubmitEdit(Callers.Delegate("VN"), 3, TextOperation.Insert(0, ">")).Within();

        Assert.Equal((2L, 3L, 4L), (two.Revision, three.Revision, four.Revision));
        // Read back by a new activation, from storage alone.
        await host.Deactivate(proposal);
        var stored = await host.Proposal(id).GetEditsSince(Callers.Delegate("SG"), 0).Within();
        Assert.Equal(4, stored.Count);
        Assert.Equal(acknowledged.Select(e => (e.Revision, e.Op.ToJson(), e.Member)), stored.Take(3).Select(e => (e.Revision, e.Op.ToJson(), e.Member)));
        Assert.Equal(">base one two three", (await host.Proposal(id).Open(Callers.Delegate("SG")).Within()).Text);
        var audit = await host.Proposal(id).GetAudit(Callers.Delegate("SG")).Within();
        Assert.Equal(auditBefore, audit.Take(auditBefore.Count));
        Assert.True((await host.Proposal(id).VerifyAudit(Callers.Delegate("SG")).Within()).Intact);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Storage repaired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_behind_beyond_what_is_held_refuses_writes_instead_of_reusing_revisions()
    {
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage, configure: o => o.Limits.RepairWindowSeconds = 30);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        var proposal = host.Proposal(id);
        var older = storage.Save();
        await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, " one")).Within();
        var saved = storage.Save();
        // Storage goes back to before an edit that was acknowledged longer ago than the window.
        host.Time.Advance(TimeSpan.FromSeconds(31));
        storage.RollBack(older);

        var refused = await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, ">")).Within());
        Assert.Equal(DomainErrorCodes.Unavailable, refused.Code);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("Storage is behind", StringComparison.Ordinal));
        // It is an integrity incident too (health degraded, on the Chair's and the secretariat's dashboard): one, however many writes are refused.
        await Assert.ThrowsAsync<DomainException>(() => proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, ">")).Within());
        var registry = host.Factory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key);
        await Timeouts.Eventually(async () => (await registry.Status()).Open == 1, "the unrepairable loss is in the integrity registry");
        var incident = Assert.Single(await registry.List(Callers.Secretariat).Within());
        Assert.Equal((IntegrityIncidentKinds.StorageLost, id, "repair"), (incident.Kind, incident.ProposalId, incident.Reporter));
        Assert.Contains("only up to audit entry", incident.Detail, StringComparison.Ordinal);

        // Once storage is back, the proposal goes on from what it acknowledged.
        storage.RollBack(saved);
        var next = await proposal.SubmitEdit(Callers.Delegate("PH"), 1, TextOperation.Insert(0, ">")).Within();
        Assert.Equal(2, next.Revision);
        Assert.Equal(">base one", (await proposal.Open(Callers.Delegate("SG")).Within()).Text);
    }
    [Fact]
    public async Task A_repair_that_spans_several_writes_stores_every_acknowledged_edit_once_in_order()
    {
        // Commits hold at most 5 rows, so the repair keeps the state after every second or third
        // batch only, and writes the lost edits back in several writes, each ending at a kept state.
        var storage = new TestStorage();
        await using var host = await GrainsHost.StartAsync(storage: storage, configure: o => o.Limits.MaxRowsPerCommit = 5);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "base");
        await Drafts.Circulate(host, id);
        var proposal = host.Proposal(id);
        var members = new[] { "SG", "PH", "TH", "VN", "MY" };
        var revision = (await proposal.SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.Insert(4, " 0")).Within()).Revision;
        var saved = storage.Save();
        var expected = "base 0";
        for (var n = 1; n <= 9; n++)
        {
            revision = (await proposal.SubmitEdit(Callers.Delegate(members[n % 5]), revision, TextOperation.Insert(expected.Length, $" {n}")).Within()).Revision;
            expected += $" {n}";
        }
        var acknowledged = await proposal.GetEditsSince(Callers.Delegate("SG"), 0).Within();
        storage.RollBack(saved);

        var last = await proposal.SubmitEdit(Callers.Delegate("SG"), revision, TextOperation.Insert(0, ">")).Within();

        Assert.Equal(11, last.Revision);
        await host.Deactivate(proposal);
        var stored = await host.Proposal(id).GetEditsSince(Callers.Delegate("SG"), 0).Within();
        Assert.Equal(Enumerable.Range(1, 11).Select(r => (long)r), stored.Select(e => e.Revision));
        Assert.Equal(acknowledged.Select(e => (e.Revision, e.Op.ToJson(), e.Member)), stored.Take(10).Select(e => (e.Revision, e.Op.ToJson(), e.Member)));
        Assert.Equal(">" + expected, (await host.Proposal(id).Open(Callers.Delegate("SG")).Within()).Text);
        Assert.True((await host.Proposal(id).VerifyAudit(Callers.Delegate("SG")).Within()).Intact);
        var repaired = Assert.Single(host.Logs.Lines, l => l.Contains("Storage repaired", StringComparison.Ordinal));
        Assert.Contains("(9 commits", repaired, StringComparison.Ordinal);
    }
}
