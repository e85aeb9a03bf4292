using System.Text.Json;
using AscCollab.Text;

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
        var grain = GrainId.Create("proposal", id);
        await RewriteEntry(host, grain, 4, entry =>
        {
            Assert.Equal("sign-off", entry.Action);
            return entry with { Detail = entry.Detail.Replace("Object", "Concur", StringComparison.Ordinal) };
        });

        var broken = await proposal.VerifyAudit(Callers.Chair).Within();
        Assert.False(broken.Intact);
        Assert.Equal(4, broken.FirstBrokenSequence);
    }

    [Fact]
    public async Task Re_hashing_a_modified_entry_without_the_key_is_detected_at_that_entry()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id);
        var grain = GrainId.Create("proposal", id);
        await RewriteEntry(host, grain, 1, first =>
            AuditChain.NextUnkeyed(0, AuditChain.Genesis, first.At, new Caller("PH", CallerRole.Delegate), first.Action, first.Detail, first.Revision));

        var result = await host.Proposal(id).VerifyAudit(Callers.Secretariat).Within();
        Assert.False(result.Intact);
        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Equal("audit", result.Check);
    }

    [Fact]
    public void A_truncated_trail_does_not_verify()
    {
        var caller = new Caller("SG", CallerRole.Delegate);
        var key = TestKeys.Ring.Current;
        var one = AuditChain.Next(key, 0, AuditChain.Genesis, GrainsHost.Start, caller, "create", "x", 0);
        var two = AuditChain.Next(key, 1, one.Hash, GrainsHost.Start, caller, "edit", "y", 1);
        Assert.True(AuditChain.Verify([one, two], 2, two.Hash, TestKeys.Ring).Intact);
        Assert.False(AuditChain.Verify([one], 2, two.Hash, TestKeys.Ring).Intact);
        Assert.False(AuditChain.Verify([two], 2, two.Hash, TestKeys.Ring).Intact);
        Assert.False(AuditChain.Verify([one, two with { Revision = 5 }], 2, two.Hash, TestKeys.Ring).Intact);
    }

    [Fact]
    public async Task One_commit_of_several_edits_appends_one_audit_row_and_the_trail_still_lists_every_entry()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
        var proposal = host.Proposal(id);
        var grain = GrainId.Create("proposal", id);
        string[] members = ["PH", "TH", "VN", "MY"];
        await Drafts.EditsQueuedBehindAWrite(host, id, members);

        var rows = await host.Storage.ReadLogAsync(grain, "audit", 0, 100, default).Within();
        var packed = Assert.Single(rows, r => r.Json.StartsWith('['));
        Assert.Equal(members.Length, ProposalLog.ReadAudit(packed).Count);

        var trail = await proposal.GetAudit(Callers.Chair).Within();
        Assert.Equal(Enumerable.Range(1, trail.Count).Select(i => (long)i), trail.Select(e => e.Sequence));
        Assert.Equal(["SG", .. members], trail.Where(e => e.Action == "edit").Select(e => e.Member));
        var verified = await proposal.VerifyAudit(Callers.Chair).Within();
        Assert.True(verified.Intact);
        Assert.Equal(trail.Count, verified.Entries);

        // An entry inside the packed row is as tamper-evident as one on its own.
        var middle = packed.Sequence + 1;
        await RewriteEntry(host, grain, middle, entry => entry with { Member = "SG" });
        var broken = await proposal.VerifyAudit(Callers.Chair).Within();
        Assert.False(broken.Intact);
        Assert.Equal(middle, broken.FirstBrokenSequence);
    }

    [Fact]
    public void Packing_joins_consecutive_audit_rows_up_to_the_size_cap_and_keeps_every_other_row()
    {
        var caller = new Caller("SG", CallerRole.Delegate);
        var entries = new List<AuditEntry>();
        var (sequence, hash) = (0L, AuditChain.Genesis);
        for (var i = 0; i < 6; i++)
        {
            var entry = AuditChain.Next(TestKeys.Ring.Current, sequence, hash, GrainsHost.Start, caller, "edit", new string('x', i is 2 or 4 ? ProposalLog.MaxPackedChars * 6 / 10 : 10), i);
            entries.Add(entry);
            (sequence, hash) = (entry.Sequence, entry.Hash);
        }
        var op = new LogEntry(ProposalLog.OpStream, 7, "{}");
        List<LogEntry> rows = [op, .. entries.Select(ProposalLog.AuditRow)];

        var packed = ProposalLog.Pack(rows);

        Assert.Equal(op, packed[0]);
        var audit = packed.Skip(1).ToList();
        Assert.True(audit.Count is >= 2 and < 6, $"{audit.Count} audit rows");
        Assert.All(audit, row => Assert.True(row.Json.Length <= ProposalLog.MaxPackedChars));
        Assert.Equal(entries, audit.SelectMany(ProposalLog.ReadAudit));
        Assert.Equal(audit.Select(r => r.Sequence), audit.Select(r => ProposalLog.ReadAudit(r)[0].Sequence));

        // A lone audit row, and rows whose sequences do not follow on, stay as they are.
        Assert.Same(rows[1], Assert.Single(ProposalLog.Pack([op, rows[1]]), r => r.Stream == ProposalLog.AuditStream));
        Assert.Equal(2, ProposalLog.Pack([rows[1], rows[3]]).Count);
    }

    [Fact]
    public void A_packed_row_whose_first_entry_does_not_match_its_key_cannot_be_read()
    {
        var caller = new Caller("SG", CallerRole.Delegate);
        var one = AuditChain.Next(TestKeys.Ring.Current, 0, AuditChain.Genesis, GrainsHost.Start, caller, "create", "x", 0);
        var two = AuditChain.Next(TestKeys.Ring.Current, 1, one.Hash, GrainsHost.Start, caller, "edit", "y", 1);
        var json = JsonSerializer.Serialize(new[] { one, two }, StateJson.Options);
        Assert.Equal(2, ProposalLog.ReadAudit(new LogEntry(ProposalLog.AuditStream, 1, json)).Count);
        Assert.False(ProposalLog.TryReadAudit(new LogEntry(ProposalLog.AuditStream, 2, json), out _));
        Assert.False(ProposalLog.TryReadAudit(new LogEntry(ProposalLog.AuditStream, 1, "[]"), out _));
        Assert.False(ProposalLog.TryReadAudit(new LogEntry(ProposalLog.AuditStream, 1, "[null]"), out _));
        Assert.False(ProposalLog.TryReadAudit(new LogEntry(ProposalLog.AuditStream, 1, "\"x\""), out _));
    }

    /// <summary>Rewrites the stored entry <paramref name="sequence"/> in whichever row holds it (single or packed), as someone with storage access could.</summary>
    private static async Task RewriteEntry(GrainsHost host, GrainId grain, long sequence, Func<AuditEntry, AuditEntry> change)
    {
        var rows = await host.Storage.ReadLogAsync(grain, ProposalLog.AuditStream, 1, sequence, default).Within();
        var row = rows[^1];
        var entries = ProposalLog.ReadAudit(row).Select(e => e.Sequence == sequence ? change(e) : e).ToList();
        Assert.Contains(entries, e => e.Sequence == sequence);
        var json = entries.Count == 1 ? JsonSerializer.Serialize(entries[0], StateJson.Options) : JsonSerializer.Serialize(entries, StateJson.Options);
        host.Storage.Tamper(grain, ProposalLog.AuditStream, row.Sequence, json);
    }
}
