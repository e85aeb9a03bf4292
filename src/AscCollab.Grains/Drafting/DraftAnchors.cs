using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// Keeps ad-referendum marks on their paragraph through edits (docs/drafting.md): a mark's range is
/// transformed through every committed op; an insertion exactly at its start goes before it, one
/// exactly at its end stays outside it, deletions shrink it (to empty when the paragraph is deleted).
/// </summary>
public static class DraftAnchors
{
    public static IReadOnlyList<AdReferendumMark> Transform(IReadOnlyList<AdReferendumMark> marks, TextOperation op)
    {
        if (marks.Count == 0 || op.IsNoop)
        {
            return marks;
        }
        var moved = new AdReferendumMark[marks.Count];
        for (var i = 0; i < marks.Count; i++)
        {
            var mark = marks[i];
            if (mark.Start >= mark.End)
            {
                moved[i] = mark;
                continue;
            }
            var start = Position(mark.Start, op, insertAtPositionMovesIt: true);
            var end = Math.Max(start, Position(mark.End, op, insertAtPositionMovesIt: false));
            moved[i] = start == mark.Start && end == mark.End ? mark : mark with { Start = start, End = end };
        }
        return moved;
    }

    /// <summary>Where <paramref name="position"/> ends up after <paramref name="op"/>; an insert exactly there moves it only if asked.</summary>
    public static int Position(int position, TextOperation op, bool insertAtPositionMovesIt)
    {
        int old = 0, delta = 0;
        foreach (var component in op.Components)
        {
            switch (component)
            {
                case Retain r:
                    if (old + r.Count > position)
                    {
                        return position + delta;
                    }
                    old += r.Count;
                    break;
                case Insert ins:
                    if (old < position || insertAtPositionMovesIt)
                    {
                        delta += ins.Length;
                    }
                    else
                    {
                        return position + delta;
                    }
                    break;
                case Delete d:
                    if (old >= position)
                    {
                        return position + delta;
                    }
                    if (old + d.Count <= position)
                    {
                        delta -= d.Count;
                        old += d.Count;
                    }
                    else
                    {
                        return old + delta;
                    }
                    break;
            }
        }
        return position + delta;
    }
}
