using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AscCollab.Runtime;
using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// The rows a proposal appends beside its state: edits ("op", sequence = revision, one row each) and
/// the audit trail ("audit"). An audit row holds one entry (a JSON object, sequence = the entry's)
/// or, when one commit appended several, consecutive entries (a JSON array, sequence = the first's):
/// a group commit of N edits writes N op rows and one audit row, not 2N rows.
/// </summary>
internal static class ProposalLog
{
    public const string OpStream = "op";
    public const string AuditStream = "audit";

    /// <summary>At most this many characters of entries go into one packed audit row (an entity holds 1 MiB).</summary>
    public const int MaxPackedAuditChars = 32 * 1024;

    public static LogEntry OpRow(CommittedEdit edit) =>
        new(OpStream, edit.Revision, JsonSerializer.Serialize(new StoredOp(edit.Member, edit.At, edit.Op), GrainJson.Options));

    public static CommittedEdit ReadOp(LogEntry row)
    {
        var op = JsonSerializer.Deserialize<StoredOp>(row.Json, GrainJson.Options)
            ?? throw new InvalidOperationException($"Op row {row.Sequence} is empty.");
        return new CommittedEdit(row.Sequence, op.Op, op.Member, op.At);
    }

    public static LogEntry AuditRow(AuditEntry entry) =>
        new(AuditStream, entry.Sequence, JsonSerializer.Serialize(entry, GrainJson.Options));

    /// <summary>
    /// The batch's rows with each run of consecutive audit entries packed into as few rows as
    /// <see cref="MaxPackedAuditChars"/> allows; other rows as they were, in order.
    /// </summary>
    public static List<LogEntry> PackAudit(List<LogEntry> rows)
    {
        if (rows.Count(r => r.Stream == AuditStream) < 2)
        {
            return rows;
        }
        var packed = rows.Where(r => r.Stream != AuditStream).ToList();
        var run = new List<LogEntry>();
        var chars = 1; // "[" and "]" with the commas: one more than the entries
        foreach (var row in rows.Where(r => r.Stream == AuditStream).OrderBy(r => r.Sequence))
        {
            var joins = run.Count > 0 && row.Sequence == run[^1].Sequence + 1 && IsEntry(row) && chars + row.Json.Length + 1 <= MaxPackedAuditChars;
            if (!joins && run.Count > 0)
            {
                packed.Add(Packed(run));
                run.Clear();
                chars = 1;
            }
            run.Add(row);
            chars += row.Json.Length + 1;
        }
        packed.Add(Packed(run));
        return packed;
    }

    /// <summary>The entries of one audit row, single or packed.</summary>
    public static IReadOnlyList<AuditEntry> ReadAudit(LogEntry row) =>
        TryReadAudit(row, out var entries) ? entries : throw new InvalidOperationException($"Audit row {row.Sequence} cannot be read.");

    /// <summary>False when the row is not an entry or an array of entries whose first has the row's sequence.</summary>
    public static bool TryReadAudit(LogEntry row, [NotNullWhen(true)] out IReadOnlyList<AuditEntry>? entries)
    {
        entries = null;
        try
        {
            if (IsEntry(row))
            {
                if (JsonSerializer.Deserialize<AuditEntry>(row.Json, GrainJson.Options) is { } entry)
                {
                    entries = [entry];
                }
            }
            else if (JsonSerializer.Deserialize<List<AuditEntry>>(row.Json, GrainJson.Options) is { Count: > 0 } list && list.TrueForAll(e => e is not null))
            {
                entries = list;
            }
        }
        catch (JsonException)
        {
            entries = null;
        }
        if (entries is not null && entries[0].Sequence != row.Sequence)
        {
            entries = null;
        }
        return entries is not null;
    }

    private static bool IsEntry(LogEntry row) => row.Json.AsSpan().TrimStart().StartsWith("{");

    private static LogEntry Packed(List<LogEntry> run) =>
        run.Count == 1 ? run[0] : new(AuditStream, run[0].Sequence, "[" + string.Join(",", run.Select(r => r.Json)) + "]");

    private sealed record StoredOp(string Member, DateTimeOffset At, TextOperation Op);
}
