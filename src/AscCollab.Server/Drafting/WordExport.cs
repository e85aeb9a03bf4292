using System.Globalization;
using AscCollab.Grains;
using AscCollab.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace AscCollab.Server;

/// <summary>
/// A version as a Word document (docs/drafting.md): the title, each paragraph with its number
/// (PP1…, the chapeau unnumbered, OP1…), brackets as typed, line breaks kept, and a footer with
/// the proposal id, the version and the text's SHA-256. Open amendments given (current text only)
/// become tracked changes — the quote deleted, the replacement inserted — under their author's name.
/// </summary>
internal static class WordExport
{
    public static byte[] Write(string proposalId, VersionText version, IReadOnlyList<Amendment>? tracked = null, Func<string, string>? authorName = null)
    {
        var text = version.Text;
        var (shown, left) = Trackable(version.Structure.Paragraphs, tracked ?? []);
        var name = authorName ?? (m => m);
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            body.Append(TitleParagraph(version.Title));
            var ids = 0;
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var paragraph in version.Structure.Paragraphs)
            {
                body.Append(TextParagraph(paragraph, text, shown, inserted, name, ref ids));
            }
            if (left.Count > 0)
            {
                body.Append(new Paragraph(new Run(new RunProperties(new Italic()), Plain(
                    "Not shown as tracked changes (overlapping another amendment or between paragraphs): "
                    + string.Join("; ", left.Select(a => $"{a.Id} by {name(a.Author)}"))))));
            }

            var footerPart = main.AddNewPart<FooterPart>();
            footerPart.Footer = new Footer(new Paragraph(
                new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
                new Run(new RunProperties(new FontSize { Val = "16" }), Plain(FooterText(proposalId, version)))));
            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footerPart) },
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 1440, Bottom = 1440, Left = 1440U, Right = 1440U, Header = 708U, Footer = 708U, Gutter = 0U }));
            main.Document = new Document(body);
        }
        return stream.ToArray();
    }

    /// <summary>"p-… · version 2 (as circulated on 4 Dec 2026) · SHA-256 …" — the current text says "current text, revision N".</summary>
    public static string FooterText(string proposalId, VersionText version)
    {
        var which = version.Version.Kind == VersionKind.Current
            ? $"current text, revision {version.Version.Revision}"
            : $"version {version.Version.Version} ({version.Version.Name})";
        return $"{proposalId} · {which} · SHA-256 {version.Version.TextHash}";
    }

    /// <summary>Open amendments that can be shown: not overlapping an earlier one, and touching a paragraph.</summary>
    private static (List<Amendment> Shown, List<Amendment> Left) Trackable(IReadOnlyList<ParagraphView> paragraphs, IReadOnlyList<Amendment> amendments)
    {
        var shown = new List<Amendment>();
        var left = new List<Amendment>();
        var end = -1;
        foreach (var a in amendments.Where(a => a.Status == AmendmentStatus.Open).OrderBy(a => a.Start).ThenBy(a => a.End))
        {
            var touches = paragraphs.Any(p => a.Start < a.End ? a.Start < p.End && a.End > p.Start : a.Start >= p.Start && a.Start <= p.End);
            if (!touches || a.Start < end || (a.Start == end && a.Start == a.End))
            {
                left.Add(a);
                continue;
            }
            shown.Add(a);
            end = Math.Max(end, a.End);
        }
        return (shown, left);
    }

    private static Paragraph TitleParagraph(string title) => new(
        new ParagraphProperties(new Justification { Val = JustificationValues.Center }, new SpacingBetweenLines { After = "360" }),
        new Run(new RunProperties(new Bold(), new FontSize { Val = "32" }), Plain(title)));

    private static Paragraph TextParagraph(ParagraphView paragraph, string text, List<Amendment> amendments, HashSet<string> inserted, Func<string, string> name, ref int ids)
    {
        var result = new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "200" }));
        if (paragraph.Number is { } number)
        {
            result.Append(new Run(new RunProperties(new Bold()), new WordText(number), new TabChar()));
        }
        var italic = paragraph.Kind == ParagraphKind.Preambular;
        var cursor = paragraph.Start;
        foreach (var a in amendments.Where(a => a.Start < a.End ? a.Start < paragraph.End && a.End > paragraph.Start : a.Start >= paragraph.Start && a.Start <= paragraph.End))
        {
            var from = Math.Max(a.Start, paragraph.Start);
            var to = Math.Min(a.End, paragraph.End);
            if (from > cursor)
            {
                AppendRuns(result, Slice(text, cursor, from), italic);
            }
            var date = new DateTimeValue(a.TabledAt.UtcDateTime);
            if (to > from)
            {
                var deleted = new DeletedRun { Author = name(a.Author), Date = date, Id = (++ids).ToString(CultureInfo.InvariantCulture) };
                AppendRuns(deleted, Slice(text, from, to), italic, asDeleted: true);
                result.Append(deleted);
            }
            if (a.Replacement.Length > 0 && inserted.Add(a.Id))
            {
                var insertion = new InsertedRun { Author = name(a.Author), Date = date, Id = (++ids).ToString(CultureInfo.InvariantCulture) };
                AppendRuns(insertion, a.Replacement, italic);
                result.Append(insertion);
            }
            cursor = Math.Max(cursor, to);
        }
        if (cursor < paragraph.End)
        {
            AppendRuns(result, Slice(text, cursor, paragraph.End), italic);
        }
        return result;
    }

    /// <summary>One run per line, joined by line breaks; deleted text as <c>w:delText</c>.</summary>
    private static void AppendRuns(OpenXmlElement parent, string text, bool italic, bool asDeleted = false)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var run = new Run();
            if (italic)
            {
                run.Append(new RunProperties(new Italic()));
            }
            if (i > 0)
            {
                run.Append(new Break());
            }
            run.Append(asDeleted ? new DeletedText(lines[i]) { Space = SpaceProcessingModeValues.Preserve } : Plain(lines[i]));
            parent.Append(run);
        }
    }

    private static WordText Plain(string text) => new(text) { Space = SpaceProcessingModeValues.Preserve };

    /// <summary>The code points <paramref name="start"/>..<paramref name="end"/> of <paramref name="text"/>.</summary>
    private static string Slice(string text, int start, int end) =>
        text[CodePoints.ToUtf16Index(text, start)..CodePoints.ToUtf16Index(text, end)];
}
