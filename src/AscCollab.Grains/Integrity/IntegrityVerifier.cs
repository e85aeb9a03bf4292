using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>One edit as its op row stores it: the record's JSON exactly as written (its SHA-256 is in the edit's audit entry).</summary>
internal sealed record OpRecord(long Revision, string Json, TextOperation Op);

/// <summary>
/// What the secretariat's acknowledgement of an integrity hold sealed (the keyed entry
/// "integrity-acknowledged" at <see cref="Sequence"/>): the audit entries before it and the op rows up to
/// <see cref="Revision"/> as they were found (digests), the text at that revision (kept in the
/// "checkpoint" log row; its hash here), and the members whose sign-offs disagreed with the audit.
/// </summary>
internal sealed record IntegritySeal(long Sequence, long AuditCount, string AuditDigest, long Revision, string OpsDigest, string TextHash, IReadOnlyList<string> Members)
{
    public const string Action = "integrity-acknowledged";
    public const string HoldAction = "integrity-hold";
    public const string CheckpointStream = "checkpoint";

    public string Detail(string incident, string reason) => string.Create(CultureInfo.InvariantCulture,
        $"seal audit 1..{AuditCount} sha256 {AuditDigest}; ops 0..{Revision} sha256 {OpsDigest}; text sha256 {TextHash}; sign-offs {(Members.Count == 0 ? "-" : string.Join(",", Members))}; incident {incident}: {reason}");
}

/// <summary>
/// The full check of a proposal's stored history (docs/storage.md, "Integrity"): the keyed audit chain
/// and the state's head; every op row against the SHA-256 its edit's audit entry names; the replay of the
/// op log against the stored text and revision; every sign-off in the state against the member's latest
/// sign-off entry; the hold against its entries. Problems sealed by the last acknowledgement are reported
/// as acknowledged. Pure: the grain reads the rows and decides what to do.
/// </summary>
internal static partial class IntegrityVerifier
{
    public const string Audit = "audit";
    public const string OpLog = "op_log";
    public const string Replay = "replay";
    public const string SignOff = "sign_off";
    public const string Hold = "hold";

    private const int MaxProblems = 100;

    /// <summary>The audit detail of a sign-off (ProposalGrain.SignOff writes it; the check rebuilds it from the state's record).</summary>
    public static string SignOffDetail(SignOffRecord r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Member}: {r.Position} on revision {r.Revision}, text sha256 {r.TextHash}")
        + (r.Reason is { Length: > 0 } reason ? $", reason: {reason}" : "");

    public static string KindOf(string check) => check switch
    {
        OpLog => IntegrityIncidentKinds.OpLogMismatch,
        Replay => IntegrityIncidentKinds.ReplayMismatch,
        SignOff => IntegrityIncidentKinds.SignOffMismatch,
        _ => IntegrityIncidentKinds.ChainBroken,
    };

    /// <summary>The chain alone: entries, keys, count and head.</summary>
    public static AuditVerification VerifyChain(IReadOnlyList<AuditEntry> entries, long expectedCount, string expectedHead, AuditKeyRing keys)
    {
        var problems = new List<IntegrityProblem>();
        var seal = FindSeal(entries, keys);
        CheckChain(entries, expectedCount, expectedHead, keys, seal, problems);
        return Result(entries, problems, 0, keys, null);
    }

    /// <summary>The last acknowledgement whose entry verifies under a configured key, if any.</summary>
    public static IntegritySeal? FindSeal(IReadOnlyList<AuditEntry> entries, AuditKeyRing keys)
    {
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var entry = entries[i];
            if (entry.Action != IntegritySeal.Action || entry.KeyId is null || entry.Sequence != i + 1
                || AuditChain.CheckHash(entry, keys, keyedSeen: true) is not null
                || SealDetail().Match(entry.Detail) is not { Success: true } m)
            {
                continue;
            }
            var members = m.Groups[6].Value == "-" ? [] : m.Groups[6].Value.Split(',');
            return new IntegritySeal(entry.Sequence, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value,
                long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), m.Groups[4].Value, m.Groups[5].Value, members);
        }
        return null;
    }

    /// <summary>Everything: chain, ops, replay, sign-offs, hold. <paramref name="checkpoint"/>: the text the last seal kept, if any.</summary>
    public static AuditVerification Verify(IReadOnlyList<AuditEntry> entries, IReadOnlyList<OpRecord> ops, IReadOnlyList<string> unreadable,
        string? checkpoint, ProposalState state, AuditKeyRing keys)
    {
        var problems = new List<IntegrityProblem>();
        foreach (var row in unreadable)
        {
            Add(problems, row.StartsWith("op", StringComparison.Ordinal) ? OpLog : Audit, row, "the row cannot be read", false);
        }
        var seal = FindSeal(entries, keys);
        CheckChain(entries, state.AuditSequence, state.AuditHead, keys, seal, problems);
        CheckOps(entries, ops, state, seal, problems);
        CheckReplay(ops, checkpoint, state, seal, problems);
        CheckSignOffs(entries, state, seal, problems);
        CheckHold(entries, state, problems);
        return Result(entries, problems, ops.Count, keys, state.Hold);
    }

    /// <summary>
    /// The check on activation: the last audit entries (<paramref name="tail"/>, consecutive up to the
    /// state's head) and the op rows their edit entries name. Problems before an acknowledgement in the
    /// window are left to the full check.
    /// </summary>
    public static IntegrityProblem? VerifyTail(IReadOnlyList<AuditEntry> tail, IReadOnlyList<OpRecord> ops, ProposalState state, AuditKeyRing keys)
    {
        var from = Math.Max(1, state.AuditSequence - tail.Count + 1);
        if (tail.Count == 0 || tail[^1].Sequence != state.AuditSequence || !string.Equals(tail[^1].Hash, state.AuditHead, StringComparison.Ordinal))
        {
            return Problem(Audit, $"audit {state.AuditSequence}", $"the trail's last entry is not the head the proposal recorded ({state.AuditSequence}, {Short(state.AuditHead)})");
        }
        var start = 0;
        for (var i = tail.Count - 1; i >= 0; i--)
        {
            if (tail[i].Action == IntegritySeal.Action && tail[i].KeyId is not null && AuditChain.CheckHash(tail[i], keys, true) is null)
            {
                start = i;
                break;
            }
        }
        var keyedSeen = tail.Take(start).Any(e => e.KeyId is not null and not AuditKeyRing.LegacyKeyId);
        for (var i = start; i < tail.Count; i++)
        {
            var entry = tail[i];
            if (entry.Sequence != from + i)
            {
                return Problem(Audit, $"audit {from + i}", $"entry {from + i} is missing or out of order");
            }
            if (i > start && !string.Equals(entry.PrevHash, tail[i - 1].Hash, StringComparison.Ordinal))
            {
                return Problem(Audit, $"audit {entry.Sequence}", "the previous hash does not match");
            }
            if (AuditChain.CheckHash(entry, keys, keyedSeen) is { } problem)
            {
                return Problem(Audit, $"audit {entry.Sequence}", problem);
            }
            keyedSeen |= entry.KeyId is not null and not AuditKeyRing.LegacyKeyId;
        }
        var byRevision = ops.GroupBy(o => o.Revision).ToDictionary(g => g.Key, g => g.First());
        foreach (var entry in tail.Skip(start))
        {
            if (OpHash().Match(entry.Detail) is { Success: true } named && entry.Revision <= state.Revision)
            {
                if (!byRevision.TryGetValue(entry.Revision, out var op))
                {
                    return Problem(OpLog, $"op {entry.Revision}", $"revision {entry.Revision} has no op row");
                }
                if (AuditChain.Sha256Hex(op.Json) != named.Groups[1].Value)
                {
                    return Problem(OpLog, $"op {entry.Revision}", $"op row {entry.Revision} does not match the sha256 its audit entry names");
                }
            }
        }
        return null;
    }

    private static IntegrityProblem Problem(string check, string location, string problem) => new(check, KindOf(check), location, problem, false);

    /// <summary>SHA-256 over the entries' canonical forms and hashes, in order.</summary>
    public static string AuditDigest(IEnumerable<AuditEntry> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in entries)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(AuditChain.Canonical(entry) + "\n" + entry.Hash + "\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 over the op records' JSON, in order.</summary>
    public static string OpsDigest(IEnumerable<OpRecord> ops)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var op in ops)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(op.Json + "\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void CheckChain(IReadOnlyList<AuditEntry> entries, long expectedCount, string expectedHead, AuditKeyRing keys, IntegritySeal? seal, List<IntegrityProblem> problems)
    {
        var previous = AuditChain.Genesis;
        var keyedSeen = false;
        var aligned = true;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var sealedEntry = seal is not null && entry.Sequence < seal.Sequence;
            if (entry.Sequence != i + 1)
            {
                Add(problems, Audit, $"audit {i + 1}", $"entry {i + 1} is missing or out of order", sealedEntry);
                aligned = false;
                break;
            }
            if (!string.Equals(entry.PrevHash, previous, StringComparison.Ordinal))
            {
                // The acknowledgement links to the head the grain held; what storage held before it is in its digest.
                Add(problems, Audit, $"audit {entry.Sequence}", "the previous hash does not match", sealedEntry || entry.Sequence == seal?.Sequence);
            }
            if (AuditChain.CheckHash(entry, keys, keyedSeen) is { } problem)
            {
                Add(problems, Audit, $"audit {entry.Sequence}", problem, sealedEntry);
            }
            keyedSeen |= entry.KeyId is not null and not AuditKeyRing.LegacyKeyId;
            previous = entry.Hash;
        }
        if (seal is not null && aligned && AuditDigest(entries.Take((int)Math.Min(seal.AuditCount, entries.Count))) != seal.AuditDigest)
        {
            Add(problems, Audit, $"audit {seal.Sequence}", $"entries 1..{seal.AuditCount} changed since the acknowledgement sealed them", false);
        }
        if (entries.Count != expectedCount || !string.Equals(previous, expectedHead, StringComparison.Ordinal))
        {
            Add(problems, Audit, $"audit {entries.Count + 1}", $"the trail holds {entries.Count} entries ending in {Short(previous)}, but the proposal recorded {expectedCount} ending in {Short(expectedHead)}", false);
        }
    }

    private static void CheckOps(IReadOnlyList<AuditEntry> entries, IReadOnlyList<OpRecord> ops, ProposalState state, IntegritySeal? seal, List<IntegrityProblem> problems)
    {
        var named = new Dictionary<long, string>();
        string? createdText = null;
        foreach (var entry in entries)
        {
            if (OpHash().Match(entry.Detail) is { Success: true } op)
            {
                named[entry.Revision] = op.Groups[1].Value;
            }
            else if (entry.Action == "create" && TextHash().Match(entry.Detail) is { Success: true } text)
            {
                createdText = text.Groups[1].Value;
            }
        }
        var byRevision = new Dictionary<long, OpRecord>();
        foreach (var op in ops)
        {
            byRevision.TryAdd(op.Revision, op);
        }
        for (long revision = 0; revision <= state.Revision; revision++)
        {
            var sealedOp = seal is not null && revision <= seal.Revision;
            if (!byRevision.TryGetValue(revision, out var record))
            {
                Add(problems, OpLog, $"op {revision}", $"revision {revision} has no op row", sealedOp);
                continue;
            }
            if (revision == 0)
            {
                if (createdText is not null && (!TryApply(record.Op, "", out var initial) || AuditChain.Sha256Hex(initial!) != createdText))
                {
                    Add(problems, OpLog, "op 0", "the initial text does not match the text sha256 of the create entry", sealedOp);
                }
                continue;
            }
            if (!named.TryGetValue(revision, out var expected))
            {
                Add(problems, OpLog, $"op {revision}", $"no audit entry names the op of revision {revision}", sealedOp);
            }
            else if (AuditChain.Sha256Hex(record.Json) != expected)
            {
                Add(problems, OpLog, $"op {revision}", $"op row {revision} does not match the sha256 its audit entry names", sealedOp);
            }
        }
        if (seal is not null && OpsDigest(ops.Where(o => o.Revision <= seal.Revision).OrderBy(o => o.Revision)) != seal.OpsDigest)
        {
            Add(problems, OpLog, $"ops 0..{seal.Revision}", "op rows sealed by the acknowledgement changed since", false);
        }
    }

    private static void CheckReplay(IReadOnlyList<OpRecord> ops, string? checkpoint, ProposalState state, IntegritySeal? seal, List<IntegrityProblem> problems)
    {
        var text = "";
        long from = 0;
        if (seal is not null)
        {
            if (checkpoint is not null && AuditChain.Sha256Hex(checkpoint) == seal.TextHash)
            {
                text = checkpoint;
                from = seal.Revision + 1;
            }
            else
            {
                Add(problems, Replay, $"checkpoint {seal.Revision}", "the text the acknowledgement kept is missing or changed", false);
                return;
            }
        }
        var last = from - 1;
        foreach (var op in ops.Where(o => o.Revision >= from && o.Revision <= state.Revision).OrderBy(o => o.Revision))
        {
            if (op.Revision != last + 1)
            {
                break;
            }
            if (!TryApply(op.Op, text, out var next))
            {
                Add(problems, Replay, $"op {op.Revision}", $"op {op.Revision} does not apply to the text of revision {op.Revision - 1}", false);
                return;
            }
            text = next!;
            last = op.Revision;
        }
        if (last != state.Revision)
        {
            Add(problems, Replay, $"revision {last + 1}", $"the op log replays to revision {last}, the proposal is at {state.Revision}", false);
        }
        else if (!string.Equals(text, state.Text, StringComparison.Ordinal))
        {
            Add(problems, Replay, $"revision {state.Revision}",
                $"replaying the op log gives text sha256 {Short(AuditChain.Sha256Hex(text))}, the proposal holds {Short(AuditChain.Sha256Hex(state.Text))}", false);
        }
    }

    private static void CheckSignOffs(IReadOnlyList<AuditEntry> entries, ProposalState state, IntegritySeal? seal, List<IntegrityProblem> problems)
    {
        var recommend = -1;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            if (entries[i].Action == "recommend")
            {
                recommend = i;
                break;
            }
        }
        Compare(entries.Skip(recommend + 1), state.SignOffs, "sign-off", seal, problems);
        if (state.Recommended && recommend >= 0)
        {
            Compare(entries.Take(recommend), state.GroupSignOffs, "group sign-off", seal, problems);
        }
    }

    private static void Compare(IEnumerable<AuditEntry> entries, IReadOnlyList<SignOffRecord> records, string what, IntegritySeal? seal, List<IntegrityProblem> problems)
    {
        var latest = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Action is "sign-off" or "withdraw-sign-off" && entry.Detail.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon)
            {
                latest[entry.Detail[..colon]] = entry;
            }
        }
        var members = records.Select(r => r.Member).Concat(latest.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var record = records.FirstOrDefault(r => r.Member == member);
            latest.TryGetValue(member, out var entry);
            var sealedMember = seal is not null && seal.Members.Contains(member) && (entry is null || entry.Sequence < seal.Sequence);
            if (entry?.Action == "sign-off")
            {
                if (record is null)
                {
                    Add(problems, SignOff, $"{what} {member}", $"audit entry {entry.Sequence} records {member}'s position, the proposal holds none", sealedMember);
                }
                else if (!string.Equals(SignOffDetail(record), entry.Detail, StringComparison.Ordinal))
                {
                    Add(problems, SignOff, $"{what} {member}", $"{member}'s position in the proposal ({record.Position} on revision {record.Revision}) is not what audit entry {entry.Sequence} records", sealedMember);
                }
            }
            else if (record is not null)
            {
                Add(problems, SignOff, $"{what} {member}", $"{member}'s position in the proposal ({record.Position}) has no audit entry", sealedMember);
            }
        }
    }

    private static void CheckHold(IReadOnlyList<AuditEntry> entries, ProposalState state, List<IntegrityProblem> problems)
    {
        var last = entries.LastOrDefault(e => e.Action is IntegritySeal.HoldAction or IntegritySeal.Action);
        var held = last?.Action == IntegritySeal.HoldAction;
        if (held != (state.Hold is not null))
        {
            Add(problems, Hold, "hold", held ? $"audit entry {last!.Sequence} put the proposal on hold, the proposal is not on hold" : "the proposal is on hold without an audit entry", false);
        }
    }

    private static AuditVerification Result(IReadOnlyList<AuditEntry> entries, List<IntegrityProblem> problems, long ops, AuditKeyRing keys, IntegrityHold? hold)
    {
        var first = problems.FirstOrDefault(p => !p.Acknowledged);
        long? firstAudit = problems.FirstOrDefault(p => !p.Acknowledged && p.Check == Audit) is { } a && long.TryParse(a.Location.AsSpan(6), CultureInfo.InvariantCulture, out var s) ? s : null;
        return new AuditVerification(first is null, entries.Count, firstAudit, first?.Problem, first is null ? (entries.Count > 0 ? entries[^1].Hash : AuditChain.Genesis) : null)
        {
            Check = first?.Check,
            Location = first?.Location,
            Problems = problems,
            OpsChecked = ops,
            UnkeyedEntries = entries.Count(e => e.KeyId is null or AuditKeyRing.LegacyKeyId),
            KeyIds = [.. entries.Select(e => e.KeyId ?? AuditKeyRing.LegacyKeyId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Hold = hold,
        };
    }

    private static bool TryApply(TextOperation op, string text, out string? result)
    {
        try
        {
            result = op.Apply(text);
            return true;
        }
        catch (InvalidTextOperationException)
        {
            result = null;
            return false;
        }
    }

    private static void Add(List<IntegrityProblem> problems, string check, string location, string problem, bool acknowledged)
    {
        if (problems.Count < MaxProblems)
        {
            problems.Add(new IntegrityProblem(check, KindOf(check), location, problem, acknowledged));
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    [GeneratedRegex(@"^seal audit 1\.\.(\d+) sha256 ([0-9a-f]{64}); ops 0\.\.(\d+) sha256 ([0-9a-f]{64}); text sha256 ([0-9a-f]{64}); sign-offs ([A-Z,]+|-);")]
    private static partial Regex SealDetail();

    [GeneratedRegex(@"(?:^|\s)op sha256 ([0-9a-f]{64})")]
    private static partial Regex OpHash();

    [GeneratedRegex(@"text sha256 ([0-9a-f]{64})")]
    private static partial Regex TextHash();
}
