using System.Text;
using System.Text.Encodings.Web;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>
/// The annual progress report as one self-contained HTML page (no script, no external asset)
/// that prints on A4: each component starts a page, tables do not split rows.
/// </summary>
internal static class AnnualReportHtml
{
    private const string Css = """
        :root { color-scheme: light; }
        body { font-family: "Noto Serif", Georgia, "Times New Roman", serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
        header { border-bottom: 3px solid #1c3f94; margin-bottom: 1.5rem; }
        h1 { font-size: 1.7rem; color: #1c3f94; margin-bottom: .3rem; }
        h2 { font-size: 1.3rem; color: #1c3f94; border-bottom: 1px solid #c8d1e8; padding-bottom: .2rem; margin-top: 2rem; }
        h3 { font-size: 1.05rem; margin-bottom: .3rem; }
        .meta { color: #444; font-size: .95rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
        th, td { border: 1px solid #c8d1e8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #eef2fa; }
        ul { padding-left: 1.2rem; }
        li { margin-bottom: .3rem; }
        .none { color: #666; font-style: italic; }
        .facts { color: #333; }
        @media print {
          @page { size: A4; margin: 18mm 16mm; }
          body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
          section.component { break-before: page; }
          tr, li { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          th { background: none; }
          a { color: inherit; text-decoration: none; }
        }
        """;

    public static string Render(ReportContext context)
    {
        var report = context.Report;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>ASEAN Security Community — Annual Progress Report ").Append(report.Year).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n")
            .Append("<h1>ASEAN Security Community — Annual Progress Report ").Append(report.Year).Append("</h1>\n")
            .Append("<p class=\"meta\">Report of the ASEAN Ministerial Meeting to the ASEAN Summit on the implementation of the ASEAN Security Community Plan of Action.<br>")
            .Append("Generated ").Append(E(ReportFacts.DateTime(report.GeneratedAt))).Append(" · Chair: ")
            .Append(report.Chair is { } chair ? E(context.MemberName(chair)) : "none at the time of generation").Append("</p>\n</header>\n");

        html.Append("<section>\n<h2>Summary</h2>\n<table>\n<thead><tr><th>Component</th><th class=\"n\">Adopted</th><th class=\"n\">Under consideration</th><th class=\"n\">Blocked</th></tr></thead>\n<tbody>\n");
        foreach (var s in report.Sections)
        {
            html.Append("<tr><td>").Append(s.Component.Number).Append(". ").Append(E(s.Component.Title)).Append("</td><td class=\"n\">").Append(s.Adopted.Count)
                .Append("</td><td class=\"n\">").Append(s.UnderConsideration.Count).Append("</td><td class=\"n\">").Append(s.Blocked.Count).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");

        // Components with nothing to report are named once at the end, not given a printed page each.
        foreach (var section in report.Sections.Where(ReportFacts.HasActivity))
        {
            html.Append("<section class=\"component\" id=\"").Append(E(section.Component.Id)).Append("\">\n<h2>")
                .Append(section.Component.Number).Append(". ").Append(E(section.Component.Title)).Append("</h2>\n");

            List(html, "Measures adopted", section.Adopted, p => $"adopted {ReportFacts.Date(p.AdoptedAt ?? p.UpdatedAt)}, revision {p.Revision}", context);
            List(html, "Under consideration", section.UnderConsideration, p =>
                $"{ReportFacts.Level(p.Level)}, {ReportFacts.Rule(p.Rule)}" +
                (p.Deadline is { } d ? $", deadline {ReportFacts.DateTime(d)}" : "") +
                $"; {ReportFacts.SignOffs(p, context)}", context);
            List(html, "Blocked", section.Blocked, p => ReportFacts.Blocked(p, context), context);

            var members = ReportFacts.PendingMembers(section, context);
            if (members.Count > 0)
            {
                html.Append("<h3>Pending sign-offs per member</h3>\n<table>\n<thead><tr><th>Member</th><th class=\"n\">Pending</th><th class=\"n\">To renew</th><th class=\"n\">Objections</th></tr></thead>\n<tbody>\n");
                foreach (var (name, m) in members)
                {
                    html.Append("<tr><td>").Append(E(name)).Append("</td><td class=\"n\">").Append(m.PendingSignOffs)
                        .Append("</td><td class=\"n\">").Append(m.StaleSignOffs).Append("</td><td class=\"n\">").Append(m.Objections).Append("</td></tr>\n");
                }
                html.Append("</tbody>\n</table>\n");
            }
            html.Append("</section>\n");
        }

        if (ReportFacts.NoActivity(report) is { } none)
        {
            html.Append("<section class=\"no-activity\">\n<h2>Components without activity</h2>\n<p class=\"none\">").Append(E(none)).Append("</p>\n</section>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A heading and its proposals; nothing at all when there are none (the summary shows the zero). <paramref name="facts"/> is plain text.</summary>
    private static void List(StringBuilder html, string heading, IReadOnlyList<ProposalSummary> proposals, Func<ProposalSummary, string> facts, ReportContext context)
    {
        if (proposals.Count == 0)
        {
            return;
        }
        html.Append("<h3>").Append(heading).Append("</h3>\n<ul>\n");
        foreach (var p in proposals)
        {
            html.Append("<li><strong>").Append(E(p.Title)).Append("</strong> (").Append(E(context.ActivityTitle(p.Activity)))
                .Append(") — <span class=\"facts\">").Append(E(facts(p))).Append("</span>");
            if (p.Status == ProposalStatus.Adopted && ReportFacts.FinalVersionLink(p) is { } link)
            {
                html.Append(" — <a href=\"").Append(E(link)).Append("\">final version (Word)</a>");
            }
            html.Append("</li>\n");
        }
        html.Append("</ul>\n");
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
