using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AscCollab.Grains;

/// <summary>
/// The hash chain of a proposal's audit trail. Each entry's hash is HMAC-SHA256, with a key that is
/// not in the data store (<see cref="AuditKeyRing"/>), over its fields, its key id and the previous
/// entry's hash: changing, removing or reordering any stored entry is detectable, and whoever writes
/// storage without the key cannot re-hash the chain. Entries written before keys existed carry no key
/// id and a plain SHA-256 (the legacy key "sha256"), accepted only where configuration allows it.
/// The full check of a proposal's history (ops, replay, sign-offs) is <see cref="IntegrityVerifier"/>.
/// </summary>
public static class AuditChain
{
    public static string Genesis { get; } = new('0', 64);

    /// <summary>The next entry, keyed with <paramref name="key"/>.</summary>
    public static AuditEntry Next(AuditKey key, long previousSequence, string previousHash, DateTimeOffset at, Caller caller, string action, string detail, long revision)
    {
        var entry = new AuditEntry(previousSequence + 1, at, caller.Member, caller.Role, action, detail, revision, previousHash, "") { KeyId = key.Id };
        return entry with { Hash = key.Sign(Canonical(entry)) };
    }

    /// <summary>
    /// An entry as stored chains held them before keys (plain SHA-256, no key id) — and as anyone who
    /// can write storage can compute it: only for reading old data and for tests of that attack.
    /// </summary>
    public static AuditEntry NextUnkeyed(long previousSequence, string previousHash, DateTimeOffset at, Caller caller, string action, string detail, long revision)
    {
        var entry = new AuditEntry(previousSequence + 1, at, caller.Member, caller.Role, action, detail, revision, previousHash, "");
        return entry with { Hash = Sha256Hex(Canonical(entry)) };
    }

    /// <summary>Recomputes the chain alone (no ops, no state); <paramref name="expectedHead"/> (from the state row) also catches a truncated tail.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, long expectedCount, string expectedHead, AuditKeyRing keys) =>
        IntegrityVerifier.VerifyChain(entries, expectedCount, expectedHead, keys);

    /// <summary>Null when <paramref name="entry"/>'s hash is right under <paramref name="keys"/>; else what is wrong.</summary>
    public static string? CheckHash(AuditEntry entry, AuditKeyRing keys, bool keyedSeen)
    {
        if (entry.KeyId is null or AuditKeyRing.LegacyKeyId)
        {
            if (!keys.AllowUnkeyedEntries)
            {
                return "the entry is not keyed (legacy sha256), and AscCollab:Integrity:AllowUnkeyedEntries is off";
            }
            if (keyedSeen)
            {
                return "an entry without a key follows keyed entries";
            }
            return string.Equals(Sha256Hex(Canonical(entry with { KeyId = null })), entry.Hash, StringComparison.Ordinal)
                ? null
                : "the entry's content does not match its hash (legacy sha256)";
        }
        if (!keys.TryGet(entry.KeyId, out var key))
        {
            return $"the entry is keyed with '{entry.KeyId}', which is not configured";
        }
        return string.Equals(key.Sign(Canonical(entry)), entry.Hash, StringComparison.Ordinal)
            ? null
            : $"the entry's content does not match its keyed hash (key {entry.KeyId})";
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>One field per line, lengths first, so no two different entries serialise alike; keyed entries add their key id.</summary>
    public static string Canonical(AuditEntry e)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{e.Sequence}\n{e.At.UtcTicks}\n{e.Member.Length}:{e.Member}\n{e.Role}\n{e.Action.Length}:{e.Action}\n{e.Detail.Length}:{e.Detail}\n{e.Revision}\n{e.PrevHash}");
        return e.KeyId is null ? text : text + "\nkey " + e.KeyId;
    }
}
