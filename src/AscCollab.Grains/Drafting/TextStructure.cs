using System.Globalization;

namespace AscCollab.Grains;

/// <summary>
/// Derives paragraphs, numbering, bracketed passages and bracket problems from a text, and attaches
/// ad-referendum marks (docs/drafting.md). Pure; positions are code points, as in edit operations.
/// </summary>
public static class TextStructure
{
    /// <summary>A paragraph as found in the text: code-point range and UTF-16 range.</summary>
    public readonly record struct Block(int Start, int End, int Utf16Start, int Utf16End);

    public static DraftStructure Derive(string proposalId, long revision, string textHash, string text, IReadOnlyList<AdReferendumMark> marks)
    {
        var blocks = Blocks(text);
        var kinds = Kinds(text, blocks);
        var numbers = Numbers(kinds);
        var brackets = new List<BracketPassage>();
        var problems = new List<BracketProblem>();
        var bracketCount = new int[blocks.Count];
        var problemCount = new int[blocks.Count];
        for (var i = 0; i < blocks.Count; i++)
        {
            var before = (brackets.Count, problems.Count);
            ScanBrackets(text, blocks[i], numbers[i] ?? "the chapeau", numbers[i], brackets, problems);
            bracketCount[i] = brackets.Count - before.Item1;
            problemCount[i] = problems.Count - before.Item2;
        }

        var attached = new List<AdReferendumMark>[blocks.Count];
        var detached = new List<AdReferendumMark>();
        foreach (var mark in marks)
        {
            var at = mark.Start < mark.End ? blocks.FindIndex(b => b.Start < mark.End && b.End > mark.Start) : -1;
            if (at < 0)
            {
                detached.Add(mark);
                continue;
            }
            (attached[at] ??= []).Add(mark);
        }

        var paragraphs = new List<ParagraphView>(blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            var onIt = (IReadOnlyList<AdReferendumMark>?)attached[i] ?? [];
            paragraphs.Add(new ParagraphView(numbers[i], kinds[i], blocks[i].Start, blocks[i].End,
                StatusOf(text, blocks[i], bracketCount[i] + problemCount[i] > 0, onIt), bracketCount[i], onIt));
        }
        var counts = new StructureCounts(
            kinds.Count(k => k == ParagraphKind.Preambular),
            kinds.Count(k => k == ParagraphKind.Operative),
            paragraphs.Count(p => p.Status == ParagraphStatus.Bracketed),
            brackets.Count,
            problems.Count,
            paragraphs.Count(p => p.Status == ParagraphStatus.AdReferendum),
            paragraphs.Count(p => p.Status == ParagraphStatus.Reopened));
        return new DraftStructure(proposalId, revision, textHash, paragraphs, brackets, problems, detached, counts);
    }

    public static DraftingSummary Summarize(DraftStructure structure) => new(
        structure.Counts.Preambular,
        structure.Counts.Operative,
        structure.Counts.OpenBrackets,
        structure.Counts.Problems,
        Named(structure, ParagraphStatus.Bracketed),
        Named(structure, ParagraphStatus.AdReferendum),
        Named(structure, ParagraphStatus.Reopened));

    /// <summary>What the structure says, without positions: equal signatures need no push.</summary>
    public static string Signature(DraftStructure s) => string.Join('|',
        string.Join(';', s.Paragraphs.Select(p => $"{p.Number}:{p.Kind}:{p.Status}:{p.Brackets}:{string.Join(',', p.AdReferendum.Select(m => $"{m.Id}{m.State}"))}")),
        string.Join(';', s.Brackets.Select(b => $"{b.Paragraph}:{b.Text}")),
        string.Join(';', s.Problems.Select(p => $"{p.Paragraph}:{p.Code}")),
        string.Join(';', s.Detached.Select(m => $"{m.Id}{m.State}")));

    /// <summary>Paragraphs: runs of non-blank lines, separated by blank lines (nothing but spaces, tabs, CR).</summary>
    public static List<Block> Blocks(string text)
    {
        var blocks = new List<Block>();
        int lineStart = 0, lineStartCp = 0, cp = 0;
        int? blockStart = null, blockStartCp = null;
        int blockEnd = 0, blockEndCp = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n')
            {
                var blank = IsBlank(text.AsSpan(lineStart, i - lineStart));
                if (!blank)
                {
                    blockStart ??= lineStart;
                    blockStartCp ??= lineStartCp;
                    var end = i;
                    var endCp = cp;
                    if (end > lineStart && text[end - 1] == '\r')
                    {
                        end--;
                        endCp--;
                    }
                    (blockEnd, blockEndCp) = (end, endCp);
                }
                else if (blockStart is { } bs)
                {
                    blocks.Add(new Block(blockStartCp!.Value, blockEndCp, bs, blockEnd));
                    blockStart = null;
                    blockStartCp = null;
                }
                lineStart = i + 1;
                lineStartCp = cp + 1;
            }
            if (i < text.Length && !char.IsLowSurrogate(text[i]))
            {
                cp++;
            }
        }
        if (blockStart is { } last)
        {
            blocks.Add(new Block(blockStartCp!.Value, blockEndCp, last, blockEnd));
        }
        return blocks;
    }

    /// <summary>The first paragraph ending with a colon is the chapeau: preambular before it, operative after; none: all operative.</summary>
    public static List<ParagraphKind> Kinds(string text, IReadOnlyList<Block> blocks)
    {
        var chapeau = -1;
        for (var i = 0; i < blocks.Count && chapeau < 0; i++)
        {
            if (text.AsSpan(blocks[i].Utf16Start, blocks[i].Utf16End - blocks[i].Utf16Start).TrimEnd().EndsWith(":"))
            {
                chapeau = i;
            }
        }
        return [.. blocks.Select((_, i) => chapeau < 0 || i > chapeau ? ParagraphKind.Operative : i == chapeau ? ParagraphKind.Chapeau : ParagraphKind.Preambular)];
    }

    public static List<string?> Numbers(IReadOnlyList<ParagraphKind> kinds)
    {
        int pp = 0, op = 0;
        return [.. kinds.Select(k => k switch
        {
            ParagraphKind.Preambular => "PP" + (++pp).ToString(CultureInfo.InvariantCulture),
            ParagraphKind.Operative => "OP" + (++op).ToString(CultureInfo.InvariantCulture),
            _ => null,
        })];
    }

    /// <summary>SHA-256 of one paragraph's text (what a withdrawal is compared with).</summary>
    public static string ParagraphHash(string text, Block block) =>
        AuditChain.Sha256Hex(text.Substring(block.Utf16Start, block.Utf16End - block.Utf16Start));

    private static ParagraphStatus StatusOf(string text, Block block, bool bracketed, IReadOnlyList<AdReferendumMark> marks)
    {
        if (bracketed)
        {
            return ParagraphStatus.Bracketed;
        }
        if (marks.Any(m => m.State == MarkState.Pending))
        {
            return ParagraphStatus.AdReferendum;
        }
        var withdrawn = marks.Where(m => m.State == MarkState.Withdrawn && m.WithdrawnTextHash is not null).ToList();
        if (withdrawn.Count > 0)
        {
            var hash = ParagraphHash(text, block);
            if (withdrawn.Any(m => m.WithdrawnTextHash == hash))
            {
                return ParagraphStatus.Reopened;
            }
        }
        return ParagraphStatus.Agreed;
    }

    private static void ScanBrackets(string text, Block block, string where, string? number, List<BracketPassage> passages, List<BracketProblem> problems)
    {
        var open = new Stack<(int Cp, int Utf16)>();
        var cp = block.Start;
        List<string>? alternatives = null;
        int groupStart = -1, groupStart16 = -1, groupEnd = -1;
        void Flush(int end16)
        {
            if (alternatives is not null)
            {
                passages.Add(new BracketPassage(number, groupStart, groupEnd, text[groupStart16..end16], alternatives));
                alternatives = null;
            }
        }
        var groupEnd16 = -1;
        for (var i = block.Utf16Start; i < block.Utf16End; i++)
        {
            var c = text[i];
            if (c == '[')
            {
                if (open.Count == 0 && alternatives is not null && groupEnd != cp)
                {
                    Flush(groupEnd16);
                }
                open.Push((cp, i));
            }
            else if (c == ']')
            {
                if (open.Count == 0)
                {
                    problems.Add(new BracketProblem("unexpected_close", number, cp, $"The ']' at {cp} in {where} closes no '['."));
                }
                else
                {
                    var (startCp, start16) = open.Pop();
                    if (open.Count == 0)
                    {
                        if (alternatives is null)
                        {
                            alternatives = [];
                            groupStart = startCp;
                            groupStart16 = start16;
                        }
                        alternatives.Add(text[(start16 + 1)..i]);
                        groupEnd = cp + 1;
                        groupEnd16 = i + 1;
                    }
                }
            }
            if (!char.IsLowSurrogate(c))
            {
                cp++;
            }
        }
        if (alternatives is not null)
        {
            Flush(groupEnd16);
        }
        foreach (var (startCp, _) in open.Reverse())
        {
            problems.Add(new BracketProblem("unclosed_open", number, startCp, $"The '[' at {startCp} is not closed before the end of {where}."));
        }
    }

    private static List<string> Named(DraftStructure s, ParagraphStatus status) =>
        [.. s.Paragraphs.Where(p => p.Status == status).Select(p => p.Number ?? "chapeau")];

    private static bool IsBlank(ReadOnlySpan<char> line)
    {
        foreach (var c in line)
        {
            if (c is not (' ' or '\t' or '\r'))
            {
                return false;
            }
        }
        return true;
    }
}
