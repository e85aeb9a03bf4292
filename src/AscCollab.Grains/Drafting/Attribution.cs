using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// Replays committed edits over a text and attributes what survives: every insertion to the member
/// whose edit inserted it, every deletion of text present at the start to the member who deleted it.
/// Text inserted and deleted again in between is not shown. Positions are code points.
/// </summary>
public sealed class Attribution
{
    private const int MergeEvery = 256;

    private sealed class Run(string text, int length, string? insertedBy, string? deletedBy)
    {
        public string Text = text;
        public int Length = length;
        public string? InsertedBy = insertedBy;
        public string? DeletedBy = deletedBy;
        public bool Visible => DeletedBy is null;
    }

    private readonly List<Run> _runs = [];
    private int _applied;

    public Attribution(string from)
    {
        if (from.Length > 0)
        {
            _runs.Add(new Run(from, CodePoints.Length(from), null, null));
        }
    }

    public void Apply(TextOperation op, string member)
    {
        int index = 0, offset = 0;
        foreach (var component in op.Components)
        {
            switch (component)
            {
                case Retain r:
                    (index, offset) = Skip(index, offset, r.Count);
                    break;
                case Insert ins:
                    index = SplitAt(index, offset);
                    offset = 0;
                    _runs.Insert(index, new Run(ins.Text, ins.Length, member, null));
                    index++;
                    break;
                case Delete d:
                    var left = d.Count;
                    while (left > 0)
                    {
                        (index, offset) = Skip(index, offset, 0);
                        index = SplitAt(index, offset);
                        offset = 0;
                        if (index >= _runs.Count)
                        {
                            throw new InvalidTextOperationException("A logged delete reaches past the end of the text.");
                        }
                        var run = _runs[index];
                        if (run.Length > left)
                        {
                            SplitAt(index, left);
                            run = _runs[index];
                        }
                        left -= run.Length;
                        if (run.InsertedBy is not null)
                        {
                            _runs.RemoveAt(index);
                        }
                        else
                        {
                            run.DeletedBy = member;
                            index++;
                        }
                    }
                    break;
            }
        }
        if (++_applied % MergeEvery == 0)
        {
            Merge();
        }
    }

    /// <summary>The comparison's runs, merged, and per member the code points inserted and deleted.</summary>
    public (IReadOnlyList<CompareSegment> Segments, IReadOnlyList<AuthorChanges> Authors) Result()
    {
        Merge();
        var segments = _runs.Select(r => new CompareSegment(
            r.DeletedBy is not null ? SegmentKind.Deleted : r.InsertedBy is not null ? SegmentKind.Inserted : SegmentKind.Same,
            r.Text,
            r.DeletedBy ?? r.InsertedBy)).ToList();
        var authors = _runs.Where(r => r.InsertedBy is not null || r.DeletedBy is not null)
            .GroupBy(r => (r.DeletedBy ?? r.InsertedBy)!, StringComparer.Ordinal)
            .Select(g => new AuthorChanges(g.Key, g.Where(r => r.Visible).Sum(r => r.Length), g.Where(r => !r.Visible).Sum(r => r.Length)))
            .OrderBy(a => a.Member, StringComparer.Ordinal)
            .ToList();
        return (segments, authors);
    }

    /// <summary>Code-point ranges in the resulting text that were inserted, and positions where text was deleted.</summary>
    public static IEnumerable<(int Start, int End)> ChangedRanges(IReadOnlyList<CompareSegment> segments)
    {
        var pos = 0;
        foreach (var segment in segments)
        {
            var length = segment.Kind == SegmentKind.Deleted ? 0 : CodePoints.Length(segment.Text);
            if (segment.Kind != SegmentKind.Same)
            {
                yield return (pos, pos + length);
            }
            pos += length;
        }
    }

    /// <summary>Moves <paramref name="count"/> visible code points on from (index, offset), passing deleted runs.</summary>
    private (int Index, int Offset) Skip(int index, int offset, int count)
    {
        while (index < _runs.Count)
        {
            var run = _runs[index];
            if (!run.Visible)
            {
                index++;
                offset = 0;
                continue;
            }
            var available = run.Length - offset;
            if (count < available)
            {
                return (index, offset + count);
            }
            count -= available;
            index++;
            offset = 0;
            if (count == 0)
            {
                return (index, 0);
            }
        }
        if (count > 0)
        {
            throw new InvalidTextOperationException("A logged retain reaches past the end of the text.");
        }
        return (index, 0);
    }

    /// <summary>Splits the run at <paramref name="index"/> after <paramref name="offset"/> code points; answers the index of the second part.</summary>
    private int SplitAt(int index, int offset)
    {
        if (offset == 0 || index >= _runs.Count)
        {
            return index;
        }
        var run = _runs[index];
        var at = CodePoints.ToUtf16Index(run.Text, offset);
        _runs.Insert(index + 1, new Run(run.Text[at..], run.Length - offset, run.InsertedBy, run.DeletedBy));
        run.Text = run.Text[..at];
        run.Length = offset;
        return index + 1;
    }

    private void Merge()
    {
        for (var i = _runs.Count - 1; i > 0; i--)
        {
            var (a, b) = (_runs[i - 1], _runs[i]);
            if (a.InsertedBy == b.InsertedBy && a.DeletedBy == b.DeletedBy)
            {
                a.Text += b.Text;
                a.Length += b.Length;
                _runs.RemoveAt(i);
            }
        }
    }
}
