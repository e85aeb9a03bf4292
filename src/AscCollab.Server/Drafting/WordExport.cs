using AscCollab.Grains;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace AscCollab.Server;

/// <summary>
/// A version as a Word document (docs/drafting.md): the title, each paragraph with its number
/// (PP1…, the chapeau unnumbered, OP1…), brackets as typed, line breaks kept, and a footer with
/// the proposal id, the version and the text's SHA-256.
/// </summary>
internal static class WordExport
{
    public static byte[] Write(string proposalId, VersionText version)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            body.Append(TitleParagraph(version.Title));
            var text = version.Text;
            foreach (var paragraph in version.Structure.Paragraphs)
            {
                body.Append(TextParagraph(paragraph, Slice(text, paragraph.Start, paragraph.End)));
            }

            var footerPart = main.AddNewPart<FooterPart>();
            footerPart.Footer = new Footer(new Paragraph(
                new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
                new Run(new RunProperties(new FontSize { Val = "16" }), new WordText(FooterText(proposalId, version)) { Space = SpaceProcessingModeValues.Preserve })));
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

    private static Paragraph TitleParagraph(string title) => new(
        new ParagraphProperties(new Justification { Val = JustificationValues.Center }, new SpacingBetweenLines { After = "360" }),
        new Run(new RunProperties(new Bold(), new FontSize { Val = "32" }), new WordText(title) { Space = SpaceProcessingModeValues.Preserve }));

    private static Paragraph TextParagraph(ParagraphView paragraph, string text)
    {
        var result = new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "200" }));
        if (paragraph.Number is { } number)
        {
            result.Append(new Run(new RunProperties(new Bold()), new WordText(number), new TabChar()));
        }
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var run = new Run();
            if (paragraph.Kind == ParagraphKind.Preambular)
            {
                run.Append(new RunProperties(new Italic()));
            }
            if (i > 0)
            {
                run.Append(new Break());
            }
            run.Append(new WordText(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
            result.Append(run);
        }
        return result;
    }

    /// <summary>The code points <paramref name="start"/>..<paramref name="end"/> of <paramref name="text"/>.</summary>
    private static string Slice(string text, int start, int end)
    {
        var from = AscCollab.Text.CodePoints.ToUtf16Index(text, start);
        var to = AscCollab.Text.CodePoints.ToUtf16Index(text, end);
        return text[from..to];
    }
}
