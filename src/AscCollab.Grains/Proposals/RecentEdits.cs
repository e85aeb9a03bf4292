namespace AscCollab.Grains;

/// <summary>
/// The last committed edits, revisions (<see cref="Start"/>, <see cref="End"/>], bounded so a
/// long-lived proposal does not grow without limit; older edits are read from the op log.
/// </summary>
internal sealed class RecentEdits(int capacity, long revision)
{
    private readonly CommittedEdit?[] _ring = new CommittedEdit?[capacity];

    /// <summary>Edits after this revision are held.</summary>
    public long Start { get; private set; } = revision;

    public long End { get; private set; } = revision;

    public void Add(CommittedEdit edit)
    {
        if (edit.Revision != End + 1)
        {
            throw new InvalidOperationException($"Edit {edit.Revision} does not follow {End}.");
        }
        _ring[edit.Revision % capacity] = edit;
        End = edit.Revision;
        if (End - Start > capacity)
        {
            Start = End - capacity;
        }
    }

    public void Clear(long revision) => Start = End = revision;

    /// <summary>The held edits after <paramref name="revision"/> (which must be ≥ <see cref="Start"/>).</summary>
    public IEnumerable<CommittedEdit> After(long revision)
    {
        for (var r = Math.Max(revision, Start) + 1; r <= End; r++)
        {
            yield return _ring[r % capacity]!;
        }
    }
}
