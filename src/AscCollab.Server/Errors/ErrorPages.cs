using AscCollab.Grains;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace AscCollab.Server;

/// <summary>
/// The page behind every Problem Details <c>type</c>: <c>GET /errors/{code}</c> answers the
/// section of docs/errors.md (embedded at build) for that code as a small HTML page, and
/// <c>GET /errors</c> all of them. The doc is the one source; nothing here repeats it.
/// </summary>
internal static partial class ErrorPages
{
    private const string Resource = "AscCollab.Server.errors.md";

    private static readonly Lazy<ErrorDoc> Doc = new(Load);

    /// <summary>The <c>type</c> of a problem with <paramref name="code"/>: a path this server serves (relative, so it holds behind any host name).</summary>
    public static string TypeOf(string code) => $"/errors/{code}";

    /// <summary>The codes docs/errors.md describes, in its order.</summary>
    public static IReadOnlyList<string> Codes => [.. Doc.Value.Sections.Keys];

    /// <summary>The pages' one stylesheet, inline; the Content-Security-Policy allows exactly it (by hash) and no script.</summary>
    private const string StyleSheet = "body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#f1f3f7;padding:0 .2em}";

    public static ContentSecurityPolicy Policy { get; } = ContentSecurityPolicy.ForInlineStyle(StyleSheet);

    public static WebApplication MapErrorPages(this WebApplication app)
    {
        var pages = app.MapGroup("/errors").AllowAnonymous().WithTags("Errors").WithContentSecurityPolicy(Policy);
        pages.MapGet("/", () => TypedResults.Content(Page("AscCollab errors", Doc.Value.Intro, Doc.Value.Sections), "text/html; charset=utf-8"))
            .WithSummary("Every error code: what it means and what to do (docs/errors.md).");
        pages.MapGet("/{code}", (string code) => Doc.Value.Sections.TryGetValue(code, out var section)
                ? Results.Content(Page($"AscCollab error: {code}", [], new Dictionary<string, IReadOnlyList<string>> { [code] = section }), "text/html; charset=utf-8")
                : Problems.NotFound($"There is no error code '{Echo.Of(code)}'; GET /errors lists them."))
            .WithSummary("One error code: what it means and what to do. The type of every Problem Details answer.");
        return app;
    }

    private sealed record ErrorDoc(IReadOnlyList<string> Intro, IReadOnlyDictionary<string, IReadOnlyList<string>> Sections);

    /// <summary>Paragraphs under the title, then one section per "## code" heading.</summary>
    private static ErrorDoc Load()
    {
        using var stream = typeof(ErrorPages).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded resource {Resource} (docs/errors.md) is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var intro = new List<string>();
        var sections = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        var paragraph = new StringBuilder();
        void EndParagraph()
        {
            if (paragraph.Length > 0)
            {
                (current ?? intro).Add(paragraph.ToString());
                paragraph.Clear();
            }
        }
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                EndParagraph();
                current = [];
                sections[line[3..].Trim().Trim('`')] = current;
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal) || line.Trim().Length == 0)
            {
                EndParagraph();
            }
            else
            {
                paragraph.Append(paragraph.Length > 0 ? " " : "").Append(line.Trim());
            }
        }
        EndParagraph();
        return new ErrorDoc(intro, sections);
    }

    private static string Page(string title, IReadOnlyList<string> intro, IReadOnlyDictionary<string, IReadOnlyList<string>> sections)
    {
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(E(title)).Append("</title>\n<style>").Append(StyleSheet).Append("</style>\n")
            .Append("</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n");
        foreach (var p in intro)
        {
            html.Append("<p>").Append(Inline(p)).Append("</p>\n");
        }
        foreach (var (code, paragraphs) in sections)
        {
            html.Append("<section id=\"").Append(E(code)).Append("\">\n<h2><code>").Append(E(code)).Append("</code></h2>\n");
            foreach (var p in paragraphs)
            {
                html.Append("<p>").Append(Inline(p)).Append("</p>\n");
            }
            html.Append("</section>\n");
        }
        return html.Append("<p><a href=\"/errors\">All error codes</a></p>\n</body>\n</html>\n").ToString();
    }

    /// <summary>The Markdown the doc uses inline: `code` and **strong**; everything else is text.</summary>
    private static string Inline(string markdown)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in InlineMarkup().Matches(markdown))
        {
            html.Append(E(markdown[at..m.Index]));
            html.Append(m.Groups["code"].Success ? $"<code>{E(m.Groups["code"].Value)}</code>" : $"<strong>{E(m.Groups["strong"].Value)}</strong>");
            at = m.Index + m.Length;
        }
        return html.Append(E(markdown[at..])).ToString();
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    [GeneratedRegex(@"`(?<code>[^`]+)`|\*\*(?<strong>[^*]+)\*\*")]
    private static partial Regex InlineMarkup();
}
