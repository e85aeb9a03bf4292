using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using AscCollab.Runtime;
using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>The rows a proposal appends beside its state: edits ("op", sequence = revision) and the audit trail ("audit").</summary>
internal static class ProposalLog
{
    public const string OpStream = "op";
    public const string AuditStream = "audit";

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

    public static AuditEntry ReadAudit(LogEntry row) =>
        TryReadAudit(row, out var entry) ? entry : throw new InvalidOperationException($"Audit row {row.Sequence} cannot be read.");

    public static bool TryReadAudit(LogEntry row, [NotNullWhen(true)] out AuditEntry? entry)
    {
        try
        {
            entry = JsonSerializer.Deserialize<AuditEntry>(row.Json, GrainJson.Options);
        }
        catch (JsonException)
        {
            entry = null;
        }
        return entry is not null;
    }

    private sealed record StoredOp(string Member, DateTimeOffset At, TextOperation Op);
}
