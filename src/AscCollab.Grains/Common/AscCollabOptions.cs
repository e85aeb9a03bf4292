namespace AscCollab.Grains;

/// <summary>
/// The "AscCollab" configuration section: roster, chairmanship schedule, limits.
/// Configuration binding appends to list defaults, so the defaults live in
/// <see cref="AscCollabDefaults"/> and are applied only when a list is left empty.
/// <see cref="AscCollabOptionsValidator"/> states every constraint.
/// </summary>
public sealed class AscCollabOptions
{
    public const string SectionName = "AscCollab";

    /// <summary>The member states. Empty in configuration means the ten members of 2004.</summary>
    public List<MemberOptions> Members { get; set; } = [];

    /// <summary>Who holds the chairmanship from when to when (half-open [From, To)).</summary>
    public List<ChairTermOptions> Chairmanship { get; set; } = [];

    /// <summary>The code the secretariat signs into the audit trail with; it is never a member.</summary>
    public string SecretariatCode { get; set; } = "ASEC";

    public LimitsOptions Limits { get; set; } = new();

    public LiveFeedOptions Live { get; set; } = new();

    /// <summary>Audit keys and integrity checks (docs/storage.md, "Integrity").</summary>
    public IntegrityOptions Integrity { get; set; } = new();
}

/// <summary>How long grains keep a node's subscription to their events without a renewal.</summary>
public sealed class LiveFeedOptions
{
    /// <summary>Nodes renew well within this (every third of it); a node gone longer is dropped.</summary>
    public TimeSpan SubscriptionExpiry { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class MemberOptions
{
    /// <summary>ISO 3166-1 alpha-2 code, upper case.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";
}

public sealed class ChairTermOptions
{
    public string Member { get; set; } = "";

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }
}

public sealed class LimitsOptions
{
    public int MaxTitleLength { get; set; } = 200;

    /// <summary>Maximum proposal text, in code points (the unit of OT positions).</summary>
    public int MaxTextCodePoints { get; set; } = 100_000;

    /// <summary>Maximum code points one operation may insert or delete.</summary>
    public int MaxOpCodePoints { get; set; } = 20_000;

    /// <summary>Maximum components in one operation.</summary>
    public int MaxOpComponents { get; set; } = 2_000;

    public int MaxReasonLength { get; set; } = 2_000;

    public int MaxMandateLength { get; set; } = 4_000;

    /// <summary>A base revision further behind the head than this is refused with stale_revision.</summary>
    public int MaxRevisionsBehind { get; set; } = 10_000;

    /// <summary>Committed operations kept in memory for transforms and GetEditsSince; older ones come from the log.</summary>
    public int RecentOpsInMemory { get; set; } = 1_000;

    /// <summary>Rows one commit may append (op + audit rows); the state row comes on top. Table batches hold 100.</summary>
    public int MaxRowsPerCommit { get; set; } = 89;

    /// <summary>Payload characters one commit may append (UTF-16; the Table batch limit is 4 MiB).</summary>
    public int MaxCharsPerCommit { get; set; } = 1_000_000;

    /// <summary>
    /// Milliseconds a proposal's next group commit waits for more edits after a commit that held
    /// several (concurrent editors); 0 writes at once. Fewer, larger storage writes (docs/performance.md).
    /// </summary>
    public int CommitLingerMilliseconds { get; set; } = 1;

    /// <summary>
    /// While edits stream in, a proposal re-derives its paragraph structure (numbers, brackets,
    /// statuses) and pushes a change of it at most once per this many milliseconds: the first
    /// commit after a quiet spell at once, the rest of a burst once the interval is over. A workflow
    /// change always checks at once. 0: after every commit (docs/performance.md).
    /// </summary>
    public int StructureCheckMilliseconds { get; set; } = 200;

    /// <summary>Op ids of this many latest revisions are remembered (and reloaded on activation) for exactly-once retries.</summary>
    public int RecentOpIds { get; set; } = 1_000;

    /// <summary>
    /// A proposal keeps what it wrote in the last this many seconds (at least 30: Azurite saves to
    /// disk every 5 s), so that storage found behind what it committed — Azurite restarted from an
    /// older save — is repaired by writing the lost commits again instead of reusing their revisions.
    /// </summary>
    public int RepairWindowSeconds { get; set; } = 60;

    // Tabled amendments and comment threads (docs/amendments.md, Limits).

    /// <summary>Amendments not yet decided (open or outdated) per proposal.</summary>
    public int MaxOpenAmendments { get; set; } = 50;

    public int MaxJustificationLength { get; set; } = 2_000;

    public int MaxCommentLength { get; set; } = 4_000;

    public int MaxCommentThreads { get; set; } = 200;

    public int MaxCommentsPerThread { get; set; } = 100;

    public int MaxMentions { get; set; } = 10;

    /// <summary>Bytes (UTF-8 JSON) one proposal's amendments and threads may take in its state row, which must stay within Azure's 1 MiB beside the text.</summary>
    public int MaxAnnotationBytes { get; set; } = 300_000;
}
