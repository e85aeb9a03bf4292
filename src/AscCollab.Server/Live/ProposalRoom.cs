using AscCollab.Grains;
using AscCollab.Text;

namespace AscCollab.Server;

/// <summary>
/// The connections that have one proposal open: their cursors (kept current through committed
/// edits), the recent operations needed to bring a late cursor up to date, and how far the
/// proposal's edits have been pushed (SubmitEdit waits on it so an ack never overtakes earlier edits).
/// </summary>
internal sealed class ProposalRoom(string proposalId, int history)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private readonly Queue<(long Revision, TextOperation Op)> _history = new();
    private readonly List<(long Revision, TaskCompletionSource Done)> _waiters = [];
    private long _known = -1;
    private long _dispatched = -1;
    private bool _presenceDirty;
    private bool _localPresenceDirty;
    private readonly Dictionary<string, NodePresence> _remote = new(StringComparer.Ordinal);

    private DateTimeOffset _nextPresence;

    public string ProposalId { get; } = proposalId;

    /// <summary>The newest revision this room pushed or read (a snapshot); -1 before any.</summary>
    public long KnownRevision
    {
        get
        {
            lock (_gate)
            {
                return _known;
            }
        }
    }

    /// <summary>Who may see the proposal, as of its last event; null until one arrived (then the grain's check at open stands).</summary>
    public Audience? Audience { get; set; }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count == 0;
            }
        }
    }

    /// <summary>Receives events at once; shown in presence after <see cref="Confirm"/>.</summary>
    public void Add(LiveConnection connection)
    {
        lock (_gate)
        {
            if (!_watchers.ContainsKey(connection.Id))
            {
                _watchers[connection.Id] = new Watcher(connection);
            }
        }
    }

    /// <summary>The grain let the connection open the proposal at <paramref name="revision"/>: it has every edit up to there.</summary>
    public void Confirm(string connectionId, long revision)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(connectionId, out var watcher))
            {
                watcher.Visible = true;
                watcher.Floor = Math.Max(watcher.Floor, revision);
                _known = Math.Max(_known, revision);
                _presenceDirty = _localPresenceDirty = true;
            }
        }
    }

    public void Remove(string connectionId)
    {
        lock (_gate)
        {
            if (_watchers.Remove(connectionId, out var watcher) && watcher.Visible)
            {
                _presenceDirty = _localPresenceDirty = true;
            }
        }
    }

    public bool Contains(string connectionId)
    {
        lock (_gate)
        {
            return _watchers.ContainsKey(connectionId);
        }
    }

    /// <summary>The watchers <paramref name="allowed"/> to receive an event, except its author and those whose snapshot already holds it.</summary>
    /// <remarks><paramref name="visibleOnly"/>: only connections the grain already let in (presence is not shown to one still being checked).</remarks>
    public List<string> Recipients(Func<LiveConnection, bool> allowed, string? except = null, long revision = long.MaxValue, bool visibleOnly = false) =>
        Recipients(allowed, static c => c.Id, except, revision, visibleOnly);

    /// <summary>As <see cref="Recipients(Func{LiveConnection, bool}, string?, long, bool)"/>, each recipient as <paramref name="select"/> gives it.</summary>
    public List<T> Recipients<T>(Func<LiveConnection, bool> allowed, Func<LiveConnection, T> select, string? except = null, long revision = long.MaxValue, bool visibleOnly = false)
    {
        lock (_gate)
        {
            var recipients = new List<T>(_watchers.Count);
            foreach (var watcher in _watchers.Values)
            {
                if (watcher.Connection.Id != except && watcher.Floor < revision && (watcher.Visible || !visibleOnly) && allowed(watcher.Connection))
                {
                    recipients.Add(select(watcher.Connection));
                }
            }
            return recipients;
        }
    }

    /// <summary>A committed edit: cursors one revision behind move through it; it is kept for late cursors.</summary>
    public void RecordEdit(long revision, TextOperation op)
    {
        lock (_gate)
        {
            if (revision <= _known)
            {
                return;
            }
            if (revision != _known + 1)
            {
                // Edits before this room existed: history restarts here.
                _history.Clear();
            }
            _history.Enqueue((revision, op));
            while (_history.Count > history)
            {
                _history.Dequeue();
            }
            _known = revision;
            foreach (var watcher in _watchers.Values)
            {
                if (watcher.Cursor is { } c && c.Revision == revision - 1)
                {
                    watcher.Cursor = new CursorView(TextOperation.TransformPosition(c.Anchor, op), TextOperation.TransformPosition(c.Head, op), revision);
                }
                else if (watcher.Cursor is { } stale && stale.Revision < revision - 1)
                {
                    watcher.Cursor = Forward(stale);
                }
            }
        }
    }

    /// <summary>
    /// Sets a connection's cursor, given at <paramref name="revision"/>, brought forward to the newest
    /// edit this room knows. False when the room no longer holds the edits since that revision.
    /// </summary>
    public bool SetCursor(string connectionId, long revision, CursorRange? range)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(connectionId, out var watcher))
            {
                return false;
            }
            var cursor = range is null ? null : Forward(new CursorView(range.Anchor, range.Head, revision));
            if (range is not null && cursor is null)
            {
                return false;
            }
            watcher.Cursor = cursor;
            _presenceDirty |= watcher.Visible;
            _localPresenceDirty |= watcher.Visible;
            return true;
        }
    }

    /// <summary>
    /// Who is here on every node: this node's connections and the latest report of each other node
    /// newer than <paramref name="since"/>; at most <paramref name="maxListed"/> connections by name
    /// (cursors first), every one counted per member.
    /// </summary>
    public PresenceView Presence(int maxListed, DateTimeOffset since)
    {
        lock (_gate)
        {
            var local = LocalPresenceLocked(maxListed);
            var remote = _remote.Values.Where(r => r.At >= since).ToList();
            if (remote.Count == 0)
            {
                return local;
            }
            var editors = local.Editors
                .Concat(remote.SelectMany(r => r.Editors).Select(e => new EditorPresence(e.Member, e.ConnectionId,
                    e.Anchor is { } a && e.Head is { } h ? new CursorView(a, h, e.Revision) : null)))
                .OrderBy(e => e.Cursor is null)
                .Take(maxListed)
                .ToList();
            var members = local.Members
                .Concat(remote.SelectMany(r => r.Members).Select(m => new MemberPresence(m.Member, m.Connections)))
                .GroupBy(m => m.Member, StringComparer.Ordinal)
                .Select(g => new MemberPresence(g.Key, g.Sum(m => m.Connections)))
                .OrderBy(m => m.Member, StringComparer.Ordinal)
                .ToList();
            return new PresenceView(editors, members, local.Total + remote.Sum(r => r.Total));
        }
    }

    /// <summary>This node's connections only (what it reports to the others).</summary>
    public PresenceView LocalPresence(int maxListed)
    {
        lock (_gate)
        {
            return LocalPresenceLocked(maxListed);
        }
    }

    /// <summary>Another node's report replaces its previous one; presence is pushed again.</summary>
    public void SetRemotePresence(NodePresence presence)
    {
        lock (_gate)
        {
            if (_remote.TryGetValue(presence.Node, out var known) && known.At > presence.At)
            {
                return;
            }
            _remote[presence.Node] = presence;
            _presenceDirty = true;
        }
    }

    /// <summary>Drops other nodes' reports older than <paramref name="before"/> (a node that went away); presence is pushed again if any was dropped.</summary>
    public void ExpireRemotePresence(DateTimeOffset before)
    {
        lock (_gate)
        {
            foreach (var node in _remote.Where(r => r.Value.At < before).Select(r => r.Key).ToList())
            {
                _remote.Remove(node);
                _presenceDirty = true;
            }
        }
    }

    /// <summary>True once per change of this node's own connections or cursors since the last call.</summary>
    public bool TakeLocalPresenceChange()
    {
        lock (_gate)
        {
            var changed = _localPresenceDirty;
            _localPresenceDirty = false;
            return changed;
        }
    }

    private PresenceView LocalPresenceLocked(int maxListed)
    {
        var visible = _watchers.Values.Where(w => w.Visible).ToList();
        var listed = visible
            .OrderBy(w => w.Cursor is null)
            .Take(maxListed)
            .Select(w => new EditorPresence(w.Connection.Caller.Member, w.Connection.Id, w.Cursor))
            .ToList();
        var members = visible
            .GroupBy(w => w.Connection.Caller.Member, StringComparer.Ordinal)
            .Select(g => new MemberPresence(g.Key, g.Count()))
            .OrderBy(m => m.Member, StringComparer.Ordinal)
            .ToList();
        return new PresenceView(listed, members, visible.Count);
    }

    /// <summary>
    /// True once per change of who is here or where their cursors are, and at most once per
    /// <paramref name="interval"/> × (1 + connections / <paramref name="roomStep"/>): the cost of a
    /// presence push grows with the room, so its rate shrinks with it.
    /// </summary>
    public bool TakePresenceChange(DateTimeOffset now, TimeSpan interval, int roomStep)
    {
        lock (_gate)
        {
            if (!_presenceDirty || now < _nextPresence)
            {
                return false;
            }
            _presenceDirty = false;
            _nextPresence = now + (interval * (_watchers.Count / roomStep)) - TimeSpan.FromMilliseconds(1);
            return true;
        }
    }

    /// <summary>Every event of this proposal up to <paramref name="revision"/> has been written to its recipients.</summary>
    public void MarkDispatched(long revision)
    {
        List<TaskCompletionSource>? done = null;
        lock (_gate)
        {
            _dispatched = Math.Max(_dispatched, revision);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Revision <= _dispatched)
                {
                    (done ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        done?.ForEach(d => d.TrySetResult());
    }

    /// <summary>Waits until the edit of <paramref name="revision"/> and all before it were pushed; false on timeout.</summary>
    public async Task<bool> WaitDispatchedAsync(long revision, TimeSpan timeout)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_dispatched >= revision)
            {
                return true;
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((revision, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
            return false;
        }
    }

    // Caller holds _gate.
    private CursorView? Forward(CursorView cursor)
    {
        if (cursor.Revision >= _known)
        {
            return cursor;
        }
        if (_history.Count == 0 || _history.Peek().Revision > cursor.Revision + 1)
        {
            return null;
        }
        var (anchor, head) = (cursor.Anchor, cursor.Head);
        foreach (var (revision, op) in _history)
        {
            if (revision > cursor.Revision)
            {
                anchor = TextOperation.TransformPosition(anchor, op);
                head = TextOperation.TransformPosition(head, op);
            }
        }
        return new CursorView(anchor, head, _known);
    }

    private sealed class Watcher(LiveConnection connection)
    {
        public LiveConnection Connection { get; } = connection;

        public bool Visible { get; set; }

        /// <summary>Edits up to this revision were in the connection's snapshot; they are not pushed again.</summary>
        public long Floor { get; set; } = -1;

        public CursorView? Cursor { get; set; }
    }
}
