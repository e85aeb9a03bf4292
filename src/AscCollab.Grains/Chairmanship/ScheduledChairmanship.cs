using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>The chairmanship from the configured schedule, evaluated against the injected clock on every check.</summary>
internal sealed class ScheduledChairmanship(IOptionsMonitor<AscCollabOptions> options, TimeProvider time) : IChairmanship
{
    public string? CurrentHolder() => HolderAt(time.GetUtcNow());

    public string? HolderAt(DateTimeOffset at) =>
        options.CurrentValue.Chairmanship.FirstOrDefault(t => t.From <= at && at < t.To)?.Member;

    public bool HasChairRights(Caller caller) =>
        caller.Role == CallerRole.Chair && string.Equals(CurrentHolder(), caller.Member, StringComparison.Ordinal);

    public IReadOnlyList<ChairTerm> Schedule() =>
        [.. options.CurrentValue.Chairmanship.OrderBy(t => t.From).Select(t => new ChairTerm(t.Member, t.From, t.To))];
}
