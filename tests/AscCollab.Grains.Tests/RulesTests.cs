namespace AscCollab.Grains.Tests;

/// <summary>The pure consensus rules, directly.</summary>
public sealed class RulesTests
{
    private static readonly DateTimeOffset At = GrainsHost.Start;
    private static readonly string[] Three = ["MY", "PH", "VN"];

    private static ProposalState Circulated(ConsensusRuleKind kind, int? quorum = null, params SignOffRecord[] signOffs) => new()
    {
        Created = true,
        Status = ProposalStatus.UnderConsideration,
        Rule = new ConsensusRule(kind, quorum),
        Participants = Three,
        Revision = 4,
        TextChangedAt = 4,
        SignOffs = signOffs,
    };

    private static SignOffRecord Given(string member, Position position, long revision = 4) => new(member, position, position == Position.Object ? "Reason." : null, revision, "hash", At);

    [Fact]
    public void Unanimity_needs_every_participant_on_the_current_text_and_one_concurrence()
    {
        Assert.Equal(ProposalStatus.UnderConsideration, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.Unanimity, null, Given("MY", Position.Concur), Given("PH", Position.Concur))));
        Assert.Equal(ProposalStatus.ConsensusReached, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.Unanimity, null, Given("MY", Position.Concur), Given("PH", Position.Abstain), Given("VN", Position.Concur))));
        Assert.Equal(ProposalStatus.UnderConsideration, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.Unanimity, null, Given("MY", Position.Abstain), Given("PH", Position.Abstain), Given("VN", Position.Abstain))));
        Assert.Equal(ProposalStatus.UnderConsideration, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.Unanimity, null, Given("MY", Position.Concur, 3), Given("PH", Position.Concur), Given("VN", Position.Concur))));
    }

    [Fact]
    public void Any_objection_blocks_even_a_stale_one_and_outsiders_do_not_count()
    {
        Assert.Equal(ProposalStatus.Blocked, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.NoObjection, 1, Given("MY", Position.Concur), Given("PH", Position.Object, 2))));
        Assert.Equal(ProposalStatus.ConsensusReached, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.NoObjection, 1, Given("MY", Position.Concur), Given("SG", Position.Object))));
        Assert.Equal(ProposalStatus.UnderConsideration, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.NoObjection, 2, Given("MY", Position.Concur), Given("SG", Position.Concur))));
    }

    [Fact]
    public void Silence_completes_only_after_its_deadline_and_only_if_unbroken()
    {
        var silent = Circulated(ConsensusRuleKind.SilenceProcedure);
        Assert.Equal(ProposalStatus.UnderConsideration, SignOffRules.Evaluate(silent));
        Assert.Equal(ProposalStatus.ConsensusReached, SignOffRules.Evaluate(silent with { DeadlineElapsed = true }));
        Assert.Equal(ProposalStatus.UnderConsideration, SignOffRules.Evaluate(silent with { DeadlineElapsed = true, SilenceBroken = true }));
    }

    [Fact]
    public void People_set_drafting_adopted_and_withdrawn_not_positions()
    {
        var all = Three.Select(m => Given(m, Position.Concur)).ToArray();
        Assert.Equal(ProposalStatus.Drafting, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.Unanimity, null, all) with { Status = ProposalStatus.Drafting }));
        Assert.Equal(ProposalStatus.Adopted, SignOffRules.Evaluate(Circulated(ConsensusRuleKind.Unanimity, null, Given("MY", Position.Object)) with { Status = ProposalStatus.Adopted }));
    }

    [Fact]
    public void The_to_do_asks_for_missing_and_stale_positions_only()
    {
        var state = Circulated(ConsensusRuleKind.Unanimity, null, Given("MY", Position.Concur), Given("PH", Position.Concur, 3));
        Assert.Null(SignOffRules.ToDoFor("p-x", state, "MY"));
        Assert.Equal(ToDoKind.RenewSignOff, SignOffRules.ToDoFor("p-x", state, "PH")!.Kind);
        Assert.Equal(ToDoKind.SignOff, SignOffRules.ToDoFor("p-x", state, "VN")!.Kind);
        Assert.Null(SignOffRules.ToDoFor("p-x", state, "SG"));
        Assert.Null(SignOffRules.ToDoFor("p-x", state with { Rule = new(ConsensusRuleKind.SilenceProcedure) }, "VN"));
    }

    [Theory]
    [InlineData("p-abcdefgh23", true)]
    [InlineData("p-abcdefgh2", false)]
    [InlineData("p-ABCDEFGH23", false)]
    [InlineData("p-abcdefgh01", false)]
    [InlineData("x-abcdefgh23", false)]
    public void Proposal_ids_are_checked(string id, bool valid) => Assert.Equal(valid, ProposalIds.IsValid(id));

    [Fact]
    public void New_proposal_ids_are_valid_and_distinct()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => ProposalIds.NewId()).ToList();
        Assert.All(ids, id => Assert.True(ProposalIds.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
