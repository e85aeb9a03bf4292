using System.Text;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>The annual progress report as CommonMark (GitHub tables).</summary>
internal static class AnnualReportMarkdown
{
    public static string Render(ReportContext context)
    {
        var report = context.Report;
        var md = new StringBuilder();
        md.Append("# ASEAN Security Community — Annual Progress Report ").Append(report.Year).Append("\n\n");
        md.Append("Report of the ASEAN Ministerial Meeting to the ASEAN Summit on the implementation of the ASEAN Security Community Plan of Action.\n\n");
        md.Append("- Generated: ").Append(ReportFacts.DateTime(report.GeneratedAt)).Append('\n');
        md.Append("- Chair: ").Append(report.Chair is { } chair ? Escape(context.MemberName(chair)) : "none at the time of generation").Append("\n\n");

        md.Append("## Summary\n\n");
        md.Append("| Component | Adopted | Under consideration | Blocked |\n|---|---:|---:|---:|\n");
        foreach (var s in report.Sections)
        {
            md.Append("| ").Append(s.Component.Number).Append(". ").Append(Escape(s.Component.Title))
                .Append(" | ").Append(s.Adopted.Count).Append(" | ").Append(s.UnderConsideration.Count).Append(" | ").Append(s.Blocked.Count).Append(" |\n");
        }

        // Components with nothing to report are named once at the end, not given a heading each.
        foreach (var section in report.Sections.Where(ReportFacts.HasActivity))
        {
            md.Append("\n## ").Append(section.Component.Number).Append(". ").Append(Escape(section.Component.Title)).Append("\n\n");

            List(md, "Measures adopted", section.Adopted, p => $"adopted {ReportFacts.Date(p.AdoptedAt ?? p.UpdatedAt)}, revision {p.Revision}", context);
            List(md, "Under consideration", section.UnderConsideration, p =>
                $"{ReportFacts.Level(p.Level)}, {ReportFacts.Rule(p.Rule)}" +
                (p.Deadline is { } d ? $", deadline {ReportFacts.DateTime(d)}" : "") +
                $"; {ReportFacts.SignOffs(p, context)}", context);
            List(md, "Blocked", section.Blocked, p => ReportFacts.Blocked(p, context), context);

            var members = ReportFacts.PendingMembers(section, context);
            if (members.Count > 0)
            {
                md.Append("### Pending sign-offs per member\n\n");
                md.Append("| Member | Pending | To renew | Objections |\n|---|---:|---:|---:|\n");
                foreach (var (name, m) in members)
                {
                    md.Append("| ").Append(Escape(name)).Append(" | ").Append(m.PendingSignOffs)
                        .Append(" | ").Append(m.StaleSignOffs).Append(" | ").Append(m.Objections).Append(" |\n");
                }
            }
        }

        if (ReportFacts.NoActivity(report) is { } none)
        {
            md.Append("\n## Components without activity\n\n").Append(Escape(none)).Append('\n');
        }
        return md.ToString();
    }

    /// <summary>A heading and its proposals; nothing at all when there are none (the summary shows the zero).</summary>
    private static void List(StringBuilder md, string heading, IReadOnlyList<ProposalSummary> proposals, Func<ProposalSummary, string> facts, ReportContext context)
    {
        if (proposals.Count == 0)
        {
            return;
        }
        md.Append("### ").Append(heading).Append("\n\n");
        foreach (var p in proposals)
        {
            md.Append("- **").Append(Escape(p.Title)).Append("** (").Append(Escape(context.ActivityTitle(p.Activity))).Append(") — ")
                .Append(Escape(facts(p)));
            if (p.Status == ProposalStatus.Adopted && ReportFacts.FinalVersionLink(p) is { } link)
            {
                md.Append(" — [final version (Word)](").Append(link).Append(')');
            }
            md.Append('\n');
        }
        md.Append('\n');
    }

    /// <summary>Delegations write titles and reasons: nothing they type may become markup, a link or a table cell break.</summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
                continue;
            }
            // Text never starts a line here (it follows "- **" or "| "), so list and heading markers need no escape.
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '<' or '>' or '~' or '&')
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
