using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>A member delegation (key: ISO 3166-1 alpha-2 code) and what awaits it.</summary>
[Alias("AscCollab.IMemberGrain")]
public interface IMemberGrain : IGrainWithStringKey
{
    /// <summary>Code and name from the roster; not_found when the code is not a member.</summary>
    [ReadOnly]
    Task<MemberInfo> GetInfo();

    /// <summary>The member's to-do list. Its own delegates, the Chair and the secretariat may read it.</summary>
    [ReadOnly]
    Task<MemberToDo> GetToDo(Caller caller);

    /// <summary>From a proposal: what it needs from this member now (null: nothing). Older versions are ignored.</summary>
    [OneWay]
    Task ProposalNeeds(string proposalId, long version, ToDoItem? item);
}

[JsonConverter(typeof(JsonStringEnumConverter<ToDoKind>))]
[GenerateSerializer, Alias("AscCollab.ToDoKind")]
public enum ToDoKind
{
    /// <summary>The member has not taken a position on the circulated proposal.</summary>
    SignOff,

    /// <summary>The member's earlier position was given on older text: renew it.</summary>
    RenewSignOff,

    /// <summary>A comment mentions the member (<see cref="ToDoItem.Thread"/>, <see cref="ToDoItem.By"/>): until it replies there or the thread is resolved.</summary>
    Mention,
}

[GenerateSerializer, Immutable, Alias("AscCollab.ToDoItem")]
public sealed record ToDoItem(string ProposalId, string Title, ToDoKind Kind, ConsensusLevel Level, long Revision, DateTimeOffset? Deadline, string? StalePosition)
{
    /// <summary>For <see cref="ToDoKind.Mention"/>: the comment thread.</summary>
    [Id(7)]
    public string? Thread { get; init; }

    /// <summary>For <see cref="ToDoKind.Mention"/>: the member whose comment mentions this one.</summary>
    [Id(8)]
    public string? By { get; init; }
}

[GenerateSerializer, Immutable, Alias("AscCollab.MemberToDo")]
public sealed record MemberToDo(string Member, IReadOnlyList<ToDoItem> Items);
