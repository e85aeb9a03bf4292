using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>Paragraphs, brackets, ad-referendum marks, circulation override, versions and attributed comparison on the grain (docs/drafting.md).</summary>
public sealed class DraftingTests
{
    private static readonly DateOnly NextWeek = new(2026, 3, 9);

    private static IProposalDrafting Drafting(GrainsHost host, string id) => host.Factory.GetGrain<IProposalDrafting>(id);

    private static async Task<int> AuditCount(GrainsHost host, string id) => (await host.Proposal(id).GetAudit(Callers.Secretariat).Within()).Count;

    [Fact]
    public async Task Circulating_with_open_brackets_is_refused_unless_the_Chair_overrides_with_a_reason_that_is_audited()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"), text: TextStructureTests.Resolution);
        var before = await AuditCount(host, id);

        var refused = await Assert.ThrowsAsync<DomainException>(() => Drafts.Circulate(host, id));
        Assert.Equal(DomainErrorCodes.BracketsOpen, refused.Code);
        Assert.Contains("PP2, OP1", refused.Message);
        Assert.Equal(ProposalStatus.Drafting, (await host.Proposal(id).Get(Callers.Chair).Within()).Status);
        Assert.Equal(before, await AuditCount(host, id));
        Assert.Single(await Drafting(host, id).GetVersions(Callers.Chair).Within());

        // Only the Chair circulates at all; an override is no way round that.
        var delegateTry = await Assert.ThrowsAsync<DomainException>(() => host.Proposal(id)
            .Circulate(Callers.Delegate("TH"), new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity)) { OpenBracketsOverride = "please" }).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, delegateTry.Code);

        var circulated = await host.Proposal(id).Circulate(Callers.Chair,
            new Circulation(new ConsensusRule(ConsensusRuleKind.Unanimity)) { OpenBracketsOverride = "Ministers asked to see both options." }).Within();
        Assert.Equal(ProposalStatus.UnderConsideration, circulated.Status);
        var audit = await host.Proposal(id).GetAudit(Callers.Secretariat).Within();
        var overridden = audit.Single(e => e.Action == "circulate-override-brackets");
        Assert.Equal("MY", overridden.Member);
        Assert.Contains("PP2, OP1", overridden.Detail);
        Assert.Contains("Ministers asked to see both options.", overridden.Detail);

        var versions = await Drafting(host, id).GetVersions(Callers.Delegate("VN")).Within();
        Assert.Equal([VersionKind.Proposed, VersionKind.Circulated], versions.Select(v => v.Kind));
        Assert.Equal("as circulated on 2 Mar 2026", versions[1].Name);
        Assert.Equal(AuditChain.Sha256Hex(TextStructureTests.Resolution), versions[1].TextHash);
        Assert.Contains(audit, e => e.Action == "circulate" && e.Detail.Contains("recorded as version 2 \"as circulated on 2 Mar 2026\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delegation_marks_a_paragraph_ad_referendum_then_confirms_and_the_mark_survives_edits()
    {
        await using var host = await GrainsHost.StartAsync();
        var text = "Recalling the Charter,\n\nHave agreed as follows:\n\nStates shall exchange information.\n\nStates [shall][may] meet yearly.";
        var id = await Drafts.Create(host, Callers.Delegate("ID"), text: text);
        var structure = await Drafting(host, id).GetStructure(Callers.Delegate("TH")).Within();
        Assert.Equal(["PP1", null, "OP1", "OP2"], structure.Paragraphs.Select(p => p.Number));

        var marked = await Drafting(host, id).MarkAdReferendum(Callers.Delegate("TH"),
            new AdReferendumRequest("OP1", structure.Revision, "confirmation by the Ministry of Foreign Affairs", NextWeek)).Within();
        var op1 = marked.Paragraphs.Single(p => p.Number == "OP1");
        Assert.Equal(ParagraphStatus.AdReferendum, op1.Status);
        var mark = Assert.Single(op1.AdReferendum);
        Assert.Equal(("TH", MarkState.Pending, NextWeek), (mark.Member, mark.State, mark.By));
        Assert.Equal(["OP1"], (await host.Proposal(id).Get(Callers.Chair).Within()).Drafting!.AdReferendum);

        // A new operative paragraph typed before it: the mark stays with its text, now OP2.
        var at = CodePoints.Length("Recalling the Charter,\n\nHave agreed as follows:\n\n");
        await host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), structure.Revision, TextOperation.Insert(at, "States shall cooperate.\n\n")).Within();
        var moved = await Drafting(host, id).GetStructure(Callers.Delegate("TH")).Within();
        Assert.Equal("OP2", moved.Paragraphs.Single(p => p.AdReferendum.Count == 1).Number);
        Assert.Equal(ParagraphStatus.AdReferendum, moved.Paragraphs.Single(p => p.Number == "OP2").Status);

        // Only Thailand resolves Thailand's mark.
        var other = await Assert.ThrowsAsync<DomainException>(() => Drafting(host, id).ConfirmAdReferendum(Callers.Delegate("SG"), mark.Id, null).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, other.Code);
        var confirmed = await Drafting(host, id).ConfirmAdReferendum(Callers.Delegate("TH"), mark.Id, "Bangkok confirmed.").Within();
        var op2 = confirmed.Paragraphs.Single(p => p.Number == "OP2");
        Assert.Equal(ParagraphStatus.Agreed, op2.Status);
        Assert.Equal(MarkState.Confirmed, op2.AdReferendum.Single().State);
        var twice = await Assert.ThrowsAsync<DomainException>(() => Drafting(host, id).WithdrawAdReferendum(Callers.Delegate("TH"), mark.Id, null).Within());
        Assert.Equal(DomainErrorCodes.InvalidTransition, twice.Code);

        var audit = await host.Proposal(id).GetAudit(Callers.Secretariat).Within();
        Assert.Contains(audit, e => e.Action == "ad-referendum" && e.Member == "TH" && e.Detail.Contains("OP1", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Action == "ad-referendum-confirm" && e.Detail.Contains("OP2", StringComparison.Ordinal) && e.Detail.Contains("Bangkok confirmed.", StringComparison.Ordinal));

        // Durable: a new activation reads the marks from storage.
        await host.Deactivate(host.Proposal(id));
        var reloaded = await Drafting(host, id).GetStructure(Callers.Delegate("TH")).Within();
        Assert.Equal(MarkState.Confirmed, reloaded.Paragraphs.Single(p => p.Number == "OP2").AdReferendum.Single().State);
    }

    [Fact]
    public async Task A_withdrawn_ad_referendum_reopens_the_paragraph_until_its_text_changes_and_a_deleted_paragraph_detaches_the_mark()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"), text: "First.\n\nSecond.\n\nThird.");
        var drafting = Drafting(host, id);
        var structure = await drafting.GetStructure(Callers.Delegate("VN")).Within();
        await drafting.MarkAdReferendum(Callers.Delegate("VN"), new AdReferendumRequest("OP2", structure.Revision, "capital", NextWeek)).Within();
        await drafting.MarkAdReferendum(Callers.Delegate("KH"), new AdReferendumRequest("op3", structure.Revision, "capital", NextWeek)).Within();
        var withdrawn = await drafting.WithdrawAdReferendum(Callers.Delegate("VN"), 1, "Hanoi cannot accept it.").Within();
        Assert.Equal(ParagraphStatus.Reopened, withdrawn.Paragraphs[1].Status);
        Assert.Equal(["OP2"], (await host.Proposal(id).Get(Callers.Chair).Within()).Drafting!.Reopened);

        var revision = withdrawn.Revision;
        await host.Proposal(id).SubmitEdit(Callers.Delegate("VN"), revision, TextOperation.Insert(8, "[")).Within();
        await host.Proposal(id).SubmitEdit(Callers.Delegate("VN"), revision + 1, TextOperation.Insert(16, "]")).Within();
        Assert.Equal(ParagraphStatus.Bracketed, (await drafting.GetStructure(Callers.Delegate("VN")).Within()).Paragraphs[1].Status);
        await host.Proposal(id).SubmitEdit(Callers.Delegate("VN"), revision + 2, TextOperation.FromComponents([new Retain(8), new Delete(1), new Retain(6), new Insert(" revised"), new Retain(1), new Delete(1)])).Within();
        Assert.Equal(ParagraphStatus.Agreed, (await drafting.GetStructure(Callers.Delegate("VN")).Within()).Paragraphs[1].Status);

        // Deleting Cambodia's paragraph detaches its mark: on no paragraph, still listed.
        await host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), revision + 3, TextOperation.Delete(23, 8)).Within();
        var after = await drafting.GetStructure(Callers.Delegate("KH")).Within();
        Assert.Equal(2, after.Paragraphs.Count);
        Assert.Equal("KH", after.Detached.Single().Member);
        Assert.Empty(after.Paragraphs.SelectMany(p => p.AdReferendum.Where(m => m.Member == "KH")));
    }

    [Fact]
    public async Task An_accepted_amendment_moves_ad_referendum_marks_like_any_edit()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"), text: "First.\n\nSecond.");
        var drafting = Drafting(host, id);
        await drafting.MarkAdReferendum(Callers.Delegate("TH"), new AdReferendumRequest("OP2", 0, "capital", NextWeek)).Within();
        var annotations = host.Factory.GetGrain<IProposalAnnotations>(id);
        var amendment = await annotations.TableAmendment(Callers.Delegate("VN"), new AmendmentDraft(0, 0, 6, "A longer first paragraph.\n\nAnd a new one.", "Clarity.")).Within();
        await annotations.AcceptAmendment(Callers.Delegate("ID"), amendment.Id).Within();

        var structure = await drafting.GetStructure(Callers.Delegate("TH")).Within();
        var text = (await host.Proposal(id).Open(Callers.Delegate("TH")).Within()).Text;
        var marked = structure.Paragraphs.Single(p => p.AdReferendum.Count == 1);
        Assert.Equal(("OP3", "Second."), (marked.Number, text[marked.Start..marked.End]));
    }

    [Fact]
    public async Task Marking_ad_referendum_refuses_bad_input_and_outsiders_and_stores_nothing()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "TH", "TH", "VN", "SG");
        var id = await Drafts.Create(host, Callers.Delegate("VN"), group, "Agreed text.\n\nStates [shall][should] act.");
        var drafting = Drafting(host, id);
        var revision = (await drafting.GetStructure(Callers.Delegate("VN")).Within()).Revision;
        var before = await AuditCount(host, id);

        async Task Refused(Caller caller, AdReferendumRequest request, string code)
        {
            var refused = await Assert.ThrowsAsync<DomainException>(() => drafting.MarkAdReferendum(caller, request).Within());
            Assert.Equal(code, refused.Code);
        }
        await Refused(Callers.Delegate("VN"), new("OP9", revision, "capital", NextWeek), DomainErrorCodes.InvalidInput);
        await Refused(Callers.Delegate("VN"), new("OP2", revision, "capital", NextWeek), DomainErrorCodes.InvalidTransition);
        await Refused(Callers.Delegate("VN"), new("OP1", revision + 1, "capital", NextWeek), DomainErrorCodes.StaleRevision);
        await Refused(Callers.Delegate("VN"), new("OP1", revision, " ", NextWeek), DomainErrorCodes.InvalidInput);
        await Refused(Callers.Delegate("VN"), new("OP1", revision, new string('x', 5000), NextWeek), DomainErrorCodes.TooLarge);
        await Refused(Callers.Delegate("VN"), new("OP1", revision, "capital", new DateOnly(2026, 3, 1)), DomainErrorCodes.InvalidInput);
        await Refused(Callers.Secretariat, new("OP1", revision, "capital", NextWeek), DomainErrorCodes.Forbidden);
        await Refused(Callers.Delegate("MM"), new("OP1", revision, "capital", NextWeek), DomainErrorCodes.Forbidden);
        Assert.Equal(before, await AuditCount(host, id));
        Assert.Empty((await drafting.GetStructure(Callers.Delegate("VN")).Within()).Paragraphs.SelectMany(p => p.AdReferendum));

        await drafting.MarkAdReferendum(Callers.Delegate("VN"), new("OP1", revision, "capital", NextWeek)).Within();
        await Refused(Callers.Delegate("VN"), new("OP1", revision, "capital", NextWeek), DomainErrorCodes.Conflict);
        var unknown = await Assert.ThrowsAsync<DomainException>(() => drafting.ConfirmAdReferendum(Callers.Delegate("VN"), 99, null).Within());
        Assert.Equal(DomainErrorCodes.NotFound, unknown.Code);
    }

    [Fact]
    public async Task A_confidential_group_draft_shows_its_structure_versions_and_pushes_only_to_the_group()
    {
        await using var host = await GrainsHost.StartAsync();
        var group = await Drafts.Group(host, "TH", "TH", "VN");
        var id = await Drafts.Create(host, Callers.Delegate("VN"), group, "States [shall][should] act.");
        var drafting = Drafting(host, id);
        foreach (var call in new Func<Task>[]
        {
            () => drafting.GetStructure(Callers.Delegate("SG")),
            () => drafting.GetVersions(Callers.Delegate("SG")),
            () => drafting.GetVersion(Callers.Delegate("SG"), 1),
            () => drafting.Compare(Callers.Delegate("SG"), 1, 0),
            () => drafting.NameVersion(Callers.Delegate("SG"), "Leaked"),
            () => drafting.ChangesSinceSignOff(Callers.Delegate("SG"), "VN"),
        })
        {
            Assert.Equal(DomainErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => call().WaitAsync(Timeouts.Call))).Code);
        }
        Assert.NotNull(await drafting.GetStructure(Callers.Secretariat).Within());

        // The group's pen-holder is its coordinator: the proposer (VN) names no version, TH does.
        Assert.Equal(DomainErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => drafting.NameVersion(Callers.Delegate("VN"), "VN's draft").Within())).Code);
        var named = await drafting.NameVersion(Callers.Delegate("TH"), "Coordinator's draft").Within();
        await host.Proposal(id).SubmitEdit(Callers.Delegate("TH"), 0, TextOperation.FromComponents([new Retain(7), new Delete(15)])).Within();
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<StructureChanged>().Any(e => e.Structure.ProposalId == id && e.Structure.Counts.OpenBrackets == 0)), "the structure change is pushed");
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<VersionRecorded>().Any(e => e.ProposalId == id && e.Version.Version == named.Version)), "the version is pushed");
        Assert.All(host.EventsOf<StructureChanged>().Where(e => e.Structure.ProposalId == id), e => Assert.Equal(["TH", "VN"], e.Audience.Members));
        Assert.All(host.EventsOf<VersionRecorded>().Where(e => e.ProposalId == id), e => Assert.Equal(["TH", "VN"], e.Audience.Members));
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<ProposalUpdated>().Any(e => e.Summary.ProposalId == id && e.Summary.Drafting?.OpenBrackets == 0)), "the summary's drafting counts follow the edit");
        Assert.All(host.EventsOf<ProposalUpdated>().Where(e => e.Summary.ProposalId == id), e => Assert.False(e.Audience.Includes("SG")));
    }

    [Fact]
    public async Task Versions_are_recorded_at_consensus_and_adoption_named_by_the_pen_holder_and_compared_with_attribution()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("ID"), text: "Member States should act.");
        var drafting = Drafting(host, id);
        await host.Proposal(id).SubmitEdit(Callers.Delegate("SG"), 0, TextOperation.FromComponents([new Retain(14), new Delete(6), new Insert("shall")])).Within();
        await host.Proposal(id).SubmitEdit(Callers.Delegate("TH"), 1, TextOperation.Insert(0, "All ")).Within();

        Assert.Equal(DomainErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => drafting.NameVersion(Callers.Delegate("TH"), "TH's draft").Within())).Code);
        Assert.Equal(DomainErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => drafting.NameVersion(Callers.Secretariat, "Secretariat's").Within())).Code);
        Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => drafting.NameVersion(Callers.Delegate("ID"), "  ").Within())).Code);
        Assert.Equal(DomainErrorCodes.TooLarge, (await Assert.ThrowsAsync<DomainException>(() => drafting.NameVersion(Callers.Delegate("ID"), new string('v', 201)).Within())).Code);
        var named = await drafting.NameVersion(Callers.Delegate("ID"), "Jakarta draft").Within();
        Assert.Equal((2, VersionKind.Named, 2L, "ID"), (named.Version, named.Kind, named.Revision, named.By));
        Assert.Equal((3, VersionKind.Named), ((await drafting.NameVersion(Callers.Chair, "Chair's text").Within()).Version, VersionKind.Named));

        var comparison = await drafting.Compare(Callers.Delegate("VN"), 1, 2).Within();
        Assert.Equal(
            [(SegmentKind.Inserted, "All ", "TH"), (SegmentKind.Same, "Member States ", null), (SegmentKind.Deleted, "should", "SG"), (SegmentKind.Inserted, "shall", "SG"), (SegmentKind.Same, " act.", null)],
            comparison.Segments.Select(s => (s.Kind, s.Text, s.Member)));
        Assert.Equal([new AuthorChanges("SG", 5, 6), new AuthorChanges("TH", 4, 0)], comparison.Authors);
        Assert.Equal(["OP1"], comparison.ChangedParagraphs);
        Assert.Equal(AuditChain.Sha256Hex("Member States should act."), comparison.From.TextHash);
        Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => drafting.Compare(Callers.Delegate("VN"), 2, 1).Within())).Code);
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => drafting.Compare(Callers.Delegate("VN"), 9, 0).Within())).Code);

        var v1 = await drafting.GetVersion(Callers.Delegate("VN"), 1).Within();
        Assert.Equal("Member States should act.", v1.Text);
        Assert.Equal("OP1", v1.Structure.Paragraphs.Single().Number);

        await Drafts.Circulate(host, id);
        foreach (var member in Callers.AllMembers.Where(m => m != "KH"))
        {
            await Drafts.Sign(host, id, member, Position.Concur);
        }
        // KH's sign-off is made stale by an edit; what changed since is KH's comparison.
        await Drafts.Sign(host, id, "KH", Position.Object, "Not yet.");
        var revision = (await host.Proposal(id).Open(Callers.Delegate("KH")).Within()).Revision;
        await host.Proposal(id).SubmitEdit(Callers.Delegate("PH"), revision, TextOperation.Insert(CodePoints.Length("All Member States shall act"), " together")).Within();
        var since = await drafting.ChangesSinceSignOff(Callers.Delegate("KH"), "KH").Within();
        Assert.Equal(revision, since.From.Revision);
        Assert.StartsWith("Cambodia's position (Object)", since.From.Name);
        Assert.Equal([(SegmentKind.Same, "All Member States shall act", (string?)null), (SegmentKind.Inserted, " together", "PH"), (SegmentKind.Same, ".", null)],
            since.Segments.Select(s => (s.Kind, s.Text, s.Member)));
        Assert.Equal(DomainErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => drafting.ChangesSinceSignOff(Callers.Delegate("KH"), "XX").Within())).Code);

        await Drafts.Circulate(host, id);
        foreach (var member in Callers.AllMembers)
        {
            await Drafts.Sign(host, id, member, Position.Concur);
        }
        await host.Proposal(id).RecordAdoption(Callers.Chair, "the 38th AMM").Within();
        var versions = await drafting.GetVersions(Callers.Delegate("VN")).Within();
        Assert.Equal([VersionKind.Proposed, VersionKind.Named, VersionKind.Named, VersionKind.Circulated, VersionKind.Circulated, VersionKind.Consensus, VersionKind.Adopted], versions.Select(v => v.Kind));
        Assert.Equal("as adopted at the 38th AMM on 2 Mar 2026", versions[^1].Name);
        Assert.Equal(versions[^2].TextHash, versions[^1].TextHash);
        Assert.Equal(AuditChain.Sha256Hex("All Member States shall act together."), versions[^1].TextHash);
        var audit = await host.Proposal(id).GetAudit(Callers.Secretariat).Within();
        Assert.Contains(audit, e => e.Action == "version" && e.Member == "ID" && e.Detail.StartsWith("version 2 \"Jakarta draft\" (Named) of revision 2", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Action == "status" && e.Detail.Contains("-> ConsensusReached; recorded as version 6", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Action == "adopt" && e.Detail.Contains("recorded as version 7", StringComparison.Ordinal));
    }
    [Fact]
    public async Task While_edits_stream_in_the_structure_is_checked_at_most_once_per_interval_and_the_last_change_is_pushed()
    {
        var interval = TimeSpan.FromMilliseconds(2_000);
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.StructureCheckMilliseconds = (int)interval.TotalMilliseconds);
        var id = await Drafts.Create(host, Callers.Delegate("TH"), text: "States act.");
        var elapsed = await InsertBracketedPassages(host, id, 5);

        // The burst's last structure (five bracketed passages) arrives once the interval is over,
        // and the ones in between were never pushed: one check per interval, plus the trailing one.
        await Timeouts.Eventually(() => Task.FromResult(StructurePushes(host, id).Any(s => s.Revision == 5 && s.Counts.OpenBrackets == 5)), "the burst's last structure is pushed");
        Assert.InRange(StructurePushes(host, id).Count, 1, 2 + (int)(elapsed / interval));
        Assert.Equal(5, (await Drafting(host, id).GetStructure(Callers.Delegate("TH")).Within()).Counts.OpenBrackets);
    }

    [Fact]
    public async Task With_no_interval_every_commit_that_changes_the_structure_pushes_it()
    {
        await using var host = await GrainsHost.StartAsync(configure: o => o.Limits.StructureCheckMilliseconds = 0);
        var id = await Drafts.Create(host, Callers.Delegate("TH"), text: "States act.");
        await InsertBracketedPassages(host, id, 5);
        await Timeouts.Eventually(() => Task.FromResult(StructurePushes(host, id).Count == 5), "each of the five structures is pushed");
        Assert.Equal([1, 2, 3, 4, 5], StructurePushes(host, id).Select(s => s.Counts.OpenBrackets));
    }

    /// <summary>Puts "[n] " in front of the text <paramref name="count"/> times, one edit each; the time it took.</summary>
    private static async Task<TimeSpan> InsertBracketedPassages(GrainsHost host, string id, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var n = 1; n <= count; n++)
        {
            await host.Proposal(id).SubmitEdit(Callers.Delegate("TH"), n - 1, TextOperation.Insert(0, $"[{n}] ")).Within();
        }
        return clock.Elapsed;
    }

    private static List<DraftStructure> StructurePushes(GrainsHost host, string id) =>
        [.. host.EventsOf<StructureChanged>().Select(e => e.Structure).Where(s => s.ProposalId == id && s.Revision > 0).OrderBy(s => s.Revision)];
}
