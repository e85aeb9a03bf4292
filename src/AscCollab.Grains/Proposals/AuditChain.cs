using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AscCollab.Grains;

/// <summary>
/// The hash chain of a proposal's audit trail. Each entry's hash is SHA-256 over its fields and
/// the previous entry's hash, so changing, removing or reordering any stored entry is detectable.
/// </summary>
public static class AuditChain
{
    public static string Genesis { get; } = new('0', 64);

    public static AuditEntry Next(long previousSequence, string previousHash, DateTimeOffset at, Caller caller, string action, string detail, long revision)
    {
        var sequence = previousSequence + 1;
        var hash = Hash(sequence, at, caller.Member, caller.Role, action, detail, revision, previousHash);
        return new AuditEntry(sequence, at, caller.Member, caller.Role, action, detail, revision, previousHash, hash);
    }

    /// <summary>Recomputes the chain from genesis; <paramref name="expectedHead"/> (from the state row) also catches a truncated tail.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, long expectedCount, string expectedHead)
    {
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Sequence != i + 1)
            {
                return Broken(entries.Count, entry.Sequence, $"entry {i + 1} is missing or out of order");
            }
            if (!string.Equals(entry.PrevHash, previous, StringComparison.Ordinal))
            {
                return Broken(entries.Count, entry.Sequence, "the previous hash does not match");
            }
            var hash = Hash(entry.Sequence, entry.At, entry.Member, entry.Role, entry.Action, entry.Detail, entry.Revision, entry.PrevHash);
            if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
            {
                return Broken(entries.Count, entry.Sequence, "the entry's content does not match its hash");
            }
            previous = hash;
        }
        if (entries.Count != expectedCount || !string.Equals(previous, expectedHead, StringComparison.Ordinal))
        {
            return Broken(entries.Count, entries.Count + 1, $"the trail holds {entries.Count} entries but the proposal recorded {expectedCount}");
        }
        return new AuditVerification(true, entries.Count, null, null, previous);
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static AuditVerification Broken(int count, long sequence, string problem) => new(false, count, sequence, problem, null);

    private static string Hash(long sequence, DateTimeOffset at, string member, CallerRole role, string action, string detail, long revision, string previousHash)
    {
        // One field per line, lengths first, so no two different entries serialise alike.
        var canonical = string.Create(CultureInfo.InvariantCulture,
            $"{sequence}\n{at.UtcTicks}\n{member.Length}:{member}\n{role}\n{action.Length}:{action}\n{detail.Length}:{detail}\n{revision}\n{previousHash}");
        return Sha256Hex(canonical);
    }
}
