namespace AscCollab.Grains;

internal sealed partial class ProposalGrain
{
    // What each member was last told; unknown after activation, so the first update tells everyone once.
    private readonly Dictionary<string, ToDoItem?> _toldMembers = new(StringComparer.Ordinal);

    /// <summary>After a durable batch that changed the workflow: push the summary, tell progress, the group and the members.</summary>
    private void OnBatchCommitted(ProposalState state, bool workflowChanged)
    {
        PublishDrafting(state, workflowChanged);
        if (!workflowChanged || !state.Created)
        {
            return;
        }
        var summary = Summary(state);
        Publish(new ProposalUpdated(summary, ProposalAccess.Audience(state)));
        _ = GrainFactory.GetGrain<IProgressGrain>(IProgressGrain.Key).ProposalChanged(summary);
        if (state.Group is not null)
        {
            _ = GrainFactory.GetGrain<IAdHocGroupGrain>(state.Group).ProposalChanged(GroupStatus(state));
        }
        var members = roster.Members().Select(m => m.Code).Concat(state.Participants).Concat(_toldMembers.Keys).Distinct(StringComparer.Ordinal).ToList();
        foreach (var member in members)
        {
            var item = SignOffRules.ToDoFor(GrainKey, state, member);
            if (_toldMembers.TryGetValue(member, out var told) && told == item)
            {
                continue;
            }
            _toldMembers[member] = item;
            _ = GrainFactory.GetGrain<IMemberGrain>(member).ProposalNeeds(GrainKey, state.AuditSequence, item);
        }
    }

    private GroupProposalStatus GroupStatus(ProposalState state)
    {
        var atGroup = state.Level == ConsensusLevel.Group;
        var groupSignOffs = atGroup
            ? SignOffRules.Views(state)
            : [.. state.GroupSignOffs.Select(s => SignOffRules.View(state, s) with { Stale = false })];
        return new GroupProposalStatus(
            GrainKey,
            state.Title,
            state.Level,
            state.Status,
            GroupConsensus: atGroup ? state.Status == ProposalStatus.ConsensusReached : state.Recommended,
            state.Recommended,
            groupSignOffs,
            state.AuditSequence);
    }
}
