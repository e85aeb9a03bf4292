namespace AscCollab.Server;

/// <summary>
/// What one member (delegation) may use on this node across all its hub connections: how many
/// connections it holds and one edit budget they share. Without it a delegation could open many
/// connections and edit at their summed per-connection rate. Per node: a member's connections on
/// other nodes are counted there (docs/hub.md, "Limits per member").
/// Created, counted and dropped by <see cref="LiveConnections"/> under its lock.
/// </summary>
internal sealed class MemberLimits(LiveOptions options, long now)
{
    private readonly Lock _lock = new();
    private TokenBucket _edits = new(options.MemberEditsPerSecond, options.MemberEditBurst, now);

    /// <summary>This member's open connections on this node; changed under the registry's lock only.</summary>
    public int Connections { get; set; }

    /// <summary>Takes one edit from the member's shared budget; false when it is empty.</summary>
    public bool TryTakeEdit(TimeProvider clock)
    {
        lock (_lock)
        {
            return _edits.TryTake(clock);
        }
    }
}
