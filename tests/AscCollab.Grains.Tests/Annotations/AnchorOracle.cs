using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>
/// An independent account of what an op did to anchored text: every character of the document has an
/// identity, ops move identities, and an anchor's text is "untouched" when its characters are all still
/// there, side by side, with nothing new between them (for a point: its neighbours still there and adjacent).
/// </summary>
internal sealed class AnchorOracle
{
    private int _next;

    public List<int> Ids { get; private set; } = [];

    public AnchorOracle(int length)
    {
        for (var i = 0; i < length; i++)
        {
            Ids.Add(_next++);
        }
    }

    public void Apply(TextOperation op)
    {
        var result = new List<int>(Ids.Count + op.InsertedLength);
        var pos = 0;
        foreach (var component in op.Components)
        {
            switch (component)
            {
                case Retain r:
                    result.AddRange(Ids.GetRange(pos, r.Count));
                    pos += r.Count;
                    break;
                case Insert ins:
                    for (var i = 0; i < ins.Length; i++)
                    {
                        result.Add(_next++);
                    }
                    break;
                case Delete d:
                    pos += d.Count;
                    break;
            }
        }
        result.AddRange(Ids.GetRange(pos, Ids.Count - pos));
        Ids = result;
    }

    /// <summary>What an anchor on [start, end) now covers, remembered by identity.</summary>
    public Target Mark(int start, int end) => new(
        [.. Ids.GetRange(start, end - start)],
        start > 0 ? Ids[start - 1] : null,
        start < Ids.Count ? Ids[start] : null,
        start == 0,
        start == Ids.Count);

    /// <summary>Where the marked text is now, or null if an op changed it (exact rule).</summary>
    public (int Start, int End)? Find(Target target)
    {
        var index = Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        if (target.Ids.Count > 0)
        {
            if (!target.Ids.All(index.ContainsKey))
            {
                return null;
            }
            var first = index[target.Ids[0]];
            for (var i = 1; i < target.Ids.Count; i++)
            {
                if (index[target.Ids[i]] != first + i)
                {
                    return null;
                }
            }
            return (first, first + target.Ids.Count);
        }
        // A point: its neighbours still there and adjacent (at the document's edge: still the edge).
        int? left = target.Left is { } l ? index.TryGetValue(l, out var li) ? li : -1 : null;
        int? right = target.Right is { } r ? index.TryGetValue(r, out var ri) ? ri : -1 : null;
        if (left == -1 || right == -1)
        {
            return null;
        }
        var point = left is { } lp ? lp + 1 : 0;
        if (right is { } rp && rp != point)
        {
            return null;
        }
        if (left is null && target.AtStart && point != 0 || right is null && target.AtEnd && point != Ids.Count)
        {
            return null;
        }
        return (point, point);
    }

    /// <summary>How many of the marked characters are still there.</summary>
    public int Surviving(Target target) => target.Ids.Count(Ids.Contains);

    public sealed record Target(IReadOnlyList<int> Ids, int? Left, int? Right, bool AtStart, bool AtEnd);
}
