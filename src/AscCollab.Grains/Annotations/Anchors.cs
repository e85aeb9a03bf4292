using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>How an anchored range follows an edit (docs/amendments.md, Anchors).</summary>
public enum AnchorMode
{
    /// <summary>A range of text (start &lt; end) or a point (start = end) whose exact text matters: amendments, range comments.</summary>
    Exact,

    /// <summary>Whole paragraphs: text typed inside, at the start or at the end belongs to them.</summary>
    Paragraph,
}

/// <summary>Where an anchor is after an op and whether the op changed what it anchors.</summary>
public readonly record struct AnchorMove(int Start, int End, bool Touched);

/// <summary>
/// Moves anchors through committed ops (the same rule on the server and in clients). Exact ranges:
/// text inserted at the start goes before, at the end after; an insert strictly inside or a deletion
/// of any character of it touches it. Points: an insert at the point or a deletion of the character
/// just before or after it touches it. Paragraphs: inserts at either edge belong to them; they are
/// touched only when all of their text is deleted.
/// </summary>
public static class Anchors
{
    public static AnchorMove Move(int start, int end, AnchorMode mode, TextOperation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var (newStart, newEnd, touched) = (start, end, false);
        var pos = 0;
        foreach (var component in op.Components)
        {
            switch (component)
            {
                case Retain r:
                    pos += r.Count;
                    break;
                case Insert ins:
                    var length = ins.Length;
                    if (mode == AnchorMode.Paragraph)
                    {
                        newStart += pos < start ? length : 0;
                        newEnd += pos <= end ? length : 0;
                    }
                    else if (start == end)
                    {
                        touched |= pos == start;
                        newStart += pos < start ? length : 0;
                        newEnd += pos < start ? length : 0;
                    }
                    else
                    {
                        touched |= pos > start && pos < end;
                        newStart += pos <= start ? length : 0;
                        newEnd += pos < end ? length : 0;
                    }
                    break;
                case Delete d:
                    var (from, to) = (pos, pos + d.Count);
                    newStart -= Math.Max(0, Math.Min(to, start) - from);
                    newEnd -= Math.Max(0, Math.Min(to, end) - from);
                    if (mode == AnchorMode.Exact)
                    {
                        touched |= start == end ? from <= start && to >= start : Math.Min(to, end) > Math.Max(from, start);
                    }
                    pos = to;
                    break;
            }
        }
        if (mode == AnchorMode.Paragraph)
        {
            touched = end > start && newEnd == newStart;
        }
        return new AnchorMove(newStart, newEnd, touched);
    }

    /// <summary>The text of [<paramref name="start"/>, <paramref name="end"/>) in code points.</summary>
    public static string Slice(string text, int start, int end)
    {
        var from = CodePoints.ToUtf16Index(text, start);
        return text[from..CodePoints.ToUtf16Index(text, end)];
    }

    /// <summary>
    /// The paragraphs (blank-line separated) that [<paramref name="start"/>, <paramref name="end"/>] touches,
    /// as one range of code points from the first one's first character to the last one's last; null when
    /// the range holds no paragraph text.
    /// </summary>
    public static (int Start, int End)? Paragraphs(string text, int start, int end)
    {
        var blocks = ParagraphBlocks(text);
        var touched = start == end
            ? blocks.Where(b => b.Start <= start && start <= b.End).ToList()
            : blocks.Where(b => b.End > start && b.Start < end).ToList();
        return touched.Count == 0 ? null : (touched[0].Start, touched[^1].End);
    }

    /// <summary>Each paragraph's [start, end) in code points: runs of lines separated by at least one blank line, outer whitespace trimmed.</summary>
    public static List<(int Start, int End)> ParagraphBlocks(string text)
    {
        var blocks = new List<(int Start, int End)>();
        var lines = text.Split('\n');
        var utf16 = 0;
        int? blockStart = null;
        var blockEnd = 0;
        foreach (var line in lines)
        {
            var lineStart = utf16;
            utf16 += line.Length + 1;
            if (string.IsNullOrWhiteSpace(line))
            {
                if (blockStart is { } s)
                {
                    blocks.Add((s, blockEnd));
                    blockStart = null;
                }
                continue;
            }
            var first = lineStart + (line.Length - line.TrimStart().Length);
            blockStart ??= first;
            blockEnd = lineStart + line.TrimEnd().Length;
        }
        if (blockStart is { } last)
        {
            blocks.Add((last, blockEnd));
        }
        return [.. blocks.Select(b => (CodePoints.ToCodePointIndex(text, b.Start), CodePoints.ToCodePointIndex(text, b.End)))];
    }
}
