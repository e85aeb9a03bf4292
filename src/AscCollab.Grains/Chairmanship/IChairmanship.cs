namespace AscCollab.Grains;

/// <summary>
/// Who holds the ASEAN chairmanship at an instant. The schedule is data
/// (<see cref="AscCollabOptions.Chairmanship"/>, reloadable); a handover moves the
/// Chair's rights at its instant without restart because every check asks the clock.
/// </summary>
public interface IChairmanship
{
    /// <summary>The member holding the chairmanship now, or null between terms.</summary>
    string? CurrentHolder();

    /// <summary>The member holding the chairmanship at <paramref name="at"/>, or null.</summary>
    string? HolderAt(DateTimeOffset at);

    /// <summary>True when the caller has the Chair role and its member holds the chairmanship now.</summary>
    bool HasChairRights(Caller caller);

    IReadOnlyList<ChairTerm> Schedule();
}

/// <summary>One term of the chairmanship, half-open: [From, To).</summary>
public sealed record ChairTerm(string Member, DateTimeOffset From, DateTimeOffset To);
