using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>
/// One hub connection: who it is (fixed at connect), its rate limits and what it watches.
/// Created and removed by <see cref="LiveConnections"/> only.
/// </summary>
internal sealed class LiveConnection
{
    public LiveConnection(string id, Caller caller, LiveOptions options, TimeProvider clock)
    {
        Id = id;
        Caller = caller with { Session = id };
        Edits = new TokenBucket(options.EditsPerSecond, options.EditBurst, clock);
        Cursors = new TokenBucket(options.CursorUpdatesPerSecond, options.CursorBurst, clock);
        Calls = new TokenBucket(options.CallsPerSecond, options.CallBurst, clock);
    }

    public string Id { get; }

    /// <summary>The authenticated caller, its <see cref="Caller.Session"/> set to the connection id.</summary>
    public Caller Caller { get; }

    public TokenBucket Edits { get; }

    public TokenBucket Cursors { get; }

    public TokenBucket Calls { get; }

    /// <summary>WatchDashboard was called (rights are checked again on every push).</summary>
    public bool WatchesDashboard { get; set; }

    /// <summary>Proposals this connection has open; guarded by the registry's lock.</summary>
    internal HashSet<string> Open { get; } = new(StringComparer.Ordinal);
}
