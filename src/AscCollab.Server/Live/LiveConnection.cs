using AscCollab.Grains;
using Microsoft.AspNetCore.SignalR;

namespace AscCollab.Server;

/// <summary>Which of a connection's rate limits a hub method draws on.</summary>
internal enum LiveLimit
{
    Edits,
    Cursors,
    Calls,
}

/// <summary>
/// One hub connection: who it is (fixed at connect), its rate limits and what it watches.
/// Created and removed by <see cref="LiveConnections"/> only. Kept small: there is one per open
/// connection, thousands per server (docs/performance.md, item 6).
/// </summary>
internal sealed class LiveConnection
{
    private readonly TimeProvider _clock;
    private readonly Lock _limits = new();
    private TokenBucket _edits;
    private TokenBucket _cursors;
    private TokenBucket _calls;

    public LiveConnection(string id, Caller caller, LiveOptions options, TimeProvider clock, MemberLimits member)
    {
        Id = id;
        Member = member;
        Caller = caller with { Session = id };
        _clock = clock;
        var now = clock.GetTimestamp();
        _edits = new TokenBucket(options.EditsPerSecond, options.EditBurst, now);
        _cursors = new TokenBucket(options.CursorUpdatesPerSecond, options.CursorBurst, now);
        _calls = new TokenBucket(options.CallsPerSecond, options.CallBurst, now);
    }

    public string Id { get; }

    /// <summary>The limits this connection shares with its member's other connections on this node.</summary>
    public MemberLimits Member { get; }

    /// <summary>The authenticated caller, its <see cref="Caller.Session"/> set to the connection id.</summary>
    public Caller Caller { get; }

    /// <summary>SignalR's side of the connection, set at connect: the publisher writes batched pushes to it (null: through the hub context).</summary>
    public HubConnectionContext? Hub { get; set; }

    /// <summary>WatchDashboard was called (rights are checked again on every push).</summary>
    public bool WatchesDashboard { get; set; }

    /// <summary>Proposals this connection has open (at most <see cref="LiveOptions.MaxOpenProposals"/>); guarded by the registry's lock.</summary>
    internal List<string> Open { get; } = [];

    /// <summary>Takes a token from the bucket of <paramref name="limit"/>; false when it is empty.</summary>
    public bool TryTake(LiveLimit limit)
    {
        lock (_limits)
        {
            return limit switch
            {
                LiveLimit.Edits => _edits.TryTake(_clock),
                LiveLimit.Cursors => _cursors.TryTake(_clock),
                _ => _calls.TryTake(_clock),
            };
        }
    }
}
