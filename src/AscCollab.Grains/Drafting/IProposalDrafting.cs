using Orleans;
using Orleans.Concurrency;

namespace AscCollab.Grains;

/// <summary>
/// The drafting side of a proposal (docs/drafting.md), served by the same grain as
/// <see cref="IProposalGrain"/> (same key, same activation): structure, ad-referendum marks,
/// versions, attributed comparison. Every method throws <see cref="DomainException"/> on refusal;
/// changes are acknowledged once durable and audited.
/// </summary>
[Alias("AscCollab.IProposalDrafting")]
public interface IProposalDrafting : IGrainWithStringKey
{
    /// <summary>Paragraphs, numbers, statuses, brackets and bracket problems of the committed text.</summary>
    [ReadOnly]
    Task<DraftStructure> GetStructure(Caller caller);

    /// <summary>A delegation agrees a paragraph ad referendum, for its own member.</summary>
    Task<DraftStructure> MarkAdReferendum(Caller caller, AdReferendumRequest request);

    /// <summary>The marking member's delegation confirms (the capital confirmed) a pending mark.</summary>
    Task<DraftStructure> ConfirmAdReferendum(Caller caller, int mark, string? note);

    /// <summary>The marking member's delegation withdraws its agreement (the capital did not confirm).</summary>
    Task<DraftStructure> WithdrawAdReferendum(Caller caller, int mark, string? note);

    [ReadOnly]
    Task<IReadOnlyList<VersionRecord>> GetVersions(Caller caller);

    /// <summary>The pen-holder (proposer; group draft: coordinator) or the Chair names the current text.</summary>
    Task<VersionRecord> NameVersion(Caller caller, string name);

    /// <summary>A version's text and structure; <paramref name="version"/> 0 is the current text.</summary>
    [ReadOnly]
    Task<VersionText> GetVersion(Caller caller, int version);

    /// <summary>Attributed comparison between two versions (0 = the current text); <paramref name="from"/> not after <paramref name="to"/>.</summary>
    [ReadOnly]
    Task<Comparison> Compare(Caller caller, int from, int to);

    /// <summary>What changed since <paramref name="member"/>'s position, to the current text.</summary>
    [ReadOnly]
    Task<Comparison> ChangesSinceSignOff(Caller caller, string member);
}
