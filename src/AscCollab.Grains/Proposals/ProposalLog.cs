using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;
using AscCollab.Text;

using AscCollab.Storage;

namespace AscCollab.Grains;

/// <summary>
/// The rows a proposal appends beside its state: its edits (stream "op", sequence = revision) and
/// its audit trail (stream "audit", sequence = entry number). A row holds either one record (a JSON
/// object; the row's sequence is the record's) or the consecutive records one group commit
/// appended (a JSON array; the row's sequence is the first record's): a commit of N edits writes
/// one op row, one audit row and the state row, not 2N + 1 rows.
/// </summary>
internal static class ProposalLog
{
    public const string OpStream = "op";
    public const string AuditStream = "audit";

    /// <summary>The whole text at a revision (sequence = revision), every so many revisions (<see cref="TextRowDue"/>).</summary>
    public const string TextStream = "text";

    /// <summary>Fewest revisions between text rows: a short text gets one about every this many edits.</summary>
    public const int MinRevisionsPerTextRow = 64;

    /// <summary>Most revisions between text rows: rebuilding the text reads at most this many edits.</summary>
    public const int MaxRevisionsPerTextRow = 1024;

    /// <summary>Code points of text per revision between text rows: text rows add about as much to storage as the op log (a keystroke's op row is ~80 characters).</summary>
    public const int TextPerRevision = 64;

    /// <summary>At most this many characters of records go into one packed row (an entity holds 1 MiB); a larger single record keeps its own row.</summary>
    public const int MaxPackedChars = 32 * 1024;

    /// <summary>
    /// At most this many records in one packed row. A read of sequences from S finds the row that
    /// holds S by starting this many sequences earlier (<see cref="FirstRowKeyFor"/>).
    /// </summary>
    public const int MaxPackedRecords = 100;

    /// <summary>The edit's row; <paramref name="opId"/> (the client's, for exactly-once retries) is stored with it.</summary>
    public static LogEntry OpRow(CommittedEdit edit, string? opId = null) =>
        new(OpStream, edit.Revision, JsonSerializer.Serialize(new StoredOp(edit.Member, edit.At, edit.Op) { OpId = opId }, StateJson.Options));

    public static LogEntry AuditRow(AuditEntry entry) =>
        new(AuditStream, entry.Sequence, JsonSerializer.Serialize(entry, StateJson.Options));

    /// <summary>The text row of <paramref name="revision"/>.</summary>
    public static LogEntry TextRow(long revision, string text) =>
        new(TextStream, revision, JsonSerializer.Serialize(new StoredTextRow(text), StateJson.Options));

    /// <summary>The text a text row holds; throws when the row is not one.</summary>
    public static string ReadText(LogEntry row) =>
        (row.Stream == TextStream ? JsonSerializer.Deserialize<StoredTextRow>(row.Json, StateJson.Options)?.Text : null)
        ?? throw new InvalidOperationException($"Row {row.Stream} {row.Sequence} is not a text row.");

    /// <summary>
    /// Whether a change that makes <paramref name="state"/> also writes its text row: for a state
    /// whose row held its text (written before text rows), and once the revisions since the last
    /// text row reach the text's length ÷ <see cref="TextPerRevision"/>, kept within
    /// <see cref="MinRevisionsPerTextRow"/>..<see cref="MaxRevisionsPerTextRow"/>.
    /// </summary>
    public static bool TextRowDue(ProposalState state) =>
        state.Created && (state.TextAt is not { } at || state.Revision - at >= Math.Clamp(state.TextLength / TextPerRevision, MinRevisionsPerTextRow, MaxRevisionsPerTextRow));

    /// <summary>The lowest row sequence that can hold record <paramref name="sequence"/>.</summary>
    public static long FirstRowKeyFor(long sequence) => Math.Max(0, sequence - (MaxPackedRecords - 1));

    /// <summary>
    /// The batch's rows with each run of consecutive op and audit records packed into as few rows
    /// as <see cref="MaxPackedChars"/> and <see cref="MaxPackedRecords"/> allow; other rows as they were.
    /// </summary>
    public static List<LogEntry> Pack(List<LogEntry> rows)
    {
        if (rows.Count(r => r.Stream == OpStream) < 2 && rows.Count(r => r.Stream == AuditStream) < 2)
        {
            return rows;
        }
        var packed = rows.Where(r => r.Stream is not (OpStream or AuditStream)).ToList();
        PackStream(rows, OpStream, packed);
        PackStream(rows, AuditStream, packed);
        return packed;
    }

    /// <summary>The edits of one op row, single or packed; revisions follow on from the row's sequence.</summary>
    public static IReadOnlyList<CommittedEdit> ReadOps(LogEntry row) => [.. ReadTrackedOps(row).Select(t => t.Edit)];

    /// <summary>The edits of one op row with the op id each was submitted with (null: untracked).</summary>
    public static IReadOnlyList<(CommittedEdit Edit, string? OpId)> ReadTrackedOps(LogEntry row)
    {
        var stored = IsRecord(row)
            ? [JsonSerializer.Deserialize<StoredOp>(row.Json, StateJson.Options)]
            : JsonSerializer.Deserialize<List<StoredOp?>>(row.Json, StateJson.Options) ?? [];
        if (stored.Count == 0 || stored.Contains(null))
        {
            throw new InvalidOperationException($"Op row {row.Sequence} is empty.");
        }
        return [.. stored.Select((op, i) => (new CommittedEdit(row.Sequence + i, op!.Op, op.Member, op.At), op.OpId))];
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
            if (IsRecord(row))
            {
                if (JsonSerializer.Deserialize<AuditEntry>(row.Json, StateJson.Options) is { } entry)
                {
                    entries = [entry];
                }
            }
            else if (JsonSerializer.Deserialize<List<AuditEntry>>(row.Json, StateJson.Options) is { Count: > 0 } list && list.TrueForAll(e => e is not null))
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

    private static void PackStream(List<LogEntry> rows, string stream, List<LogEntry> packed)
    {
        var run = new List<LogEntry>();
        var chars = 1; // "[" and "]" with the commas: one more than the records
        foreach (var row in rows.Where(r => r.Stream == stream).OrderBy(r => r.Sequence))
        {
            var joins = run.Count > 0 && run.Count < MaxPackedRecords && row.Sequence == run[^1].Sequence + 1
                && IsRecord(row) && IsRecord(run[^1]) && chars + row.Json.Length + 1 <= MaxPackedChars;
            if (!joins && run.Count > 0)
            {
                packed.Add(Packed(run));
                run.Clear();
                chars = 1;
            }
            run.Add(row);
            chars += row.Json.Length + 1;
        }
        if (run.Count > 0)
        {
            packed.Add(Packed(run));
        }
    }

    private static bool IsRecord(LogEntry row) => row.Json.AsSpan().TrimStart().StartsWith("{");

    private static LogEntry Packed(List<LogEntry> run) =>
        run.Count == 1 ? run[0] : new(run[0].Stream, run[0].Sequence, "[" + string.Join(",", run.Select(r => r.Json)) + "]");

    private sealed record StoredTextRow(string Text);

    private sealed record StoredOp(string Member, DateTimeOffset At, TextOperation Op)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? OpId { get; init; }
    }
}
