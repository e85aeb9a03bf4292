using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>Limits of the hub ("Live" section). Every limit is per connection unless it says otherwise.</summary>
internal sealed class LiveOptions
{
    public const string SectionName = "Live";

    /// <summary>Largest hub message the server reads; a larger one closes the connection (SignalR's own limit).</summary>
    public long MaximumReceiveMessageSize { get; set; } = 128 * 1024;

    /// <summary>Sustained SubmitEdit calls per second.</summary>
    public double EditsPerSecond { get; set; } = 50;

    /// <summary>SubmitEdit calls allowed at once above the sustained rate.</summary>
    public int EditBurst { get; set; } = 100;

    /// <summary>Sustained UpdateCursor calls per second (broadcasts are coalesced further, see <see cref="PresenceInterval"/>).</summary>
    public double CursorUpdatesPerSecond { get; set; } = 20;

    public int CursorBurst { get; set; } = 40;

    /// <summary>Sustained calls per second of every other hub method.</summary>
    public double CallsPerSecond { get; set; } = 20;

    public int CallBurst { get; set; } = 40;

    /// <summary>Each node re-reports its presence to the other nodes this often; a node silent for three intervals is dropped from presence.</summary>
    public TimeSpan PresenceReportInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often presence changes are pushed at most, per proposal (100 ms = 10 per second).</summary>
    public TimeSpan PresenceInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A room's presence interval grows by <see cref="PresenceInterval"/> for every this many
    /// connections in it: a join costs one message per watcher, so a 3,000-connection room
    /// pushes presence every 3 s instead of flooding every watcher ten times a second.
    /// </summary>
    public int PresenceRoomStep { get; set; } = 100;

    /// <summary>At most this many connections are listed by name in presence (those with a cursor first); the rest are counted.</summary>
    public int MaxEditorsListed { get; set; } = 64;

    /// <summary>Committed operations each open proposal keeps to bring late cursors up to date.</summary>
    public int CursorHistory { get; set; } = 256;

    /// <summary>How long SubmitEdit waits for earlier EditApplied events to be written to its connection before it acknowledges anyway.</summary>
    public TimeSpan AckOrderingTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An edit that arrives from another node ahead of an earlier one is held this long for the
    /// earlier one to arrive (messages between nodes may overtake each other) before the node
    /// fetches what is missing from the proposal.
    /// </summary>
    public TimeSpan EditGapWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Proposals one connection may have open at once.</summary>
    public int MaxOpenProposals { get; set; } = 32;

    /// <summary>Hub connections one member (all its delegates and tabs) may hold on one node; more are refused with <c>too_many_connections</c>.</summary>
    public int MaxConnectionsPerMember { get; set; } = 10;

    /// <summary>Sustained edits per second of one member across all its connections on one node (each connection also has <see cref="EditsPerSecond"/>).</summary>
    public double MemberEditsPerSecond { get; set; } = 60;

    /// <summary>Edits one member's connections may send together at once above <see cref="MemberEditsPerSecond"/>.</summary>
    public int MemberEditBurst { get; set; } = 120;

    /// <summary>
    /// After a call that carried several edits of one proposal into its grain (the node's edit funnel,
    /// see <see cref="EditFunnel"/>), how long the next call waits for more: the writers just
    /// acknowledged typically send their next edit within a round trip, and one call and one storage
    /// write then carry them all. A lone writer never waits. 0 turns it off.
    /// </summary>
    public TimeSpan EditLinger { get; set; } = TimeSpan.FromMilliseconds(3);
}

internal sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions options)
    {
        var failures = new List<string>();
        if (options.MaximumReceiveMessageSize is < 4 * 1024 or > 16 * 1024 * 1024)
        {
            failures.Add($"{LiveOptions.SectionName}:MaximumReceiveMessageSize must be between 4 KiB and 16 MiB.");
        }
        if (options.EditsPerSecond <= 0 || options.CursorUpdatesPerSecond <= 0 || options.CallsPerSecond <= 0)
        {
            failures.Add($"{LiveOptions.SectionName}: the per-second rates must be positive.");
        }
        if (options.EditBurst < 1 || options.CursorBurst < 1 || options.CallBurst < 1)
        {
            failures.Add($"{LiveOptions.SectionName}: the bursts must be at least 1.");
        }
        if (options.PresenceInterval < TimeSpan.FromMilliseconds(10) || options.PresenceInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{LiveOptions.SectionName}:PresenceInterval must be between 10 ms and 10 s.");
        }
        if (options.PresenceRoomStep < 1 || options.MaxEditorsListed < 1)
        {
            failures.Add($"{LiveOptions.SectionName}:PresenceRoomStep and MaxEditorsListed must be at least 1.");
        }
        if (options.CursorHistory is < 0 or > 100_000)
        {
            failures.Add($"{LiveOptions.SectionName}:CursorHistory must be between 0 and 100000.");
        }
        if (options.AckOrderingTimeout <= TimeSpan.Zero || options.AckOrderingTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{LiveOptions.SectionName}:AckOrderingTimeout must be positive and at most 1 minute.");
        }
        if (options.MaxConnectionsPerMember < 1 || options.MemberEditBurst < 1 || options.MemberEditsPerSecond <= 0)
        {
            failures.Add($"{LiveOptions.SectionName}: MaxConnectionsPerMember and MemberEditBurst must be at least 1, MemberEditsPerSecond positive.");
        }
        if (options.EditLinger < TimeSpan.Zero || options.EditLinger > TimeSpan.FromMilliseconds(50))
        {
            failures.Add($"{LiveOptions.SectionName}:EditLinger must be between 0 and 50 ms.");
        }
        if (options.MaxOpenProposals < 1)
        {
            failures.Add($"{LiveOptions.SectionName}:MaxOpenProposals must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
