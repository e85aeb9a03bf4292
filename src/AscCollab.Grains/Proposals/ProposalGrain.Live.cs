using AscCollab.Text;
using Orleans.Utilities;

namespace AscCollab.Grains;

// Nodes watching this proposal (grain observers) and the op ids of recent edits (exactly-once retries).
internal sealed partial class ProposalGrain
{
    private readonly Dictionary<(string Member, string OpId), Task<EditAck>> _opIds = [];
    private readonly Queue<((string Member, string OpId) Key, long Revision)> _opIdOrder = new();
    private ObserverManager<ILiveObserver>? _watchers;
    private List<EditCommitted>? _unsentEdits;

    private ObserverManager<ILiveObserver> Watchers => _watchers ??= new(options.CurrentValue.Live.SubscriptionExpiry, logger);

    public Task<WatchedProposal> Watch(ILiveObserver node)
    {
        Watchers.Subscribe(node, node);
        return Task.FromResult(new WatchedProposal(Committed.Revision, ProposalAccess.Audience(Committed)));
    }

    public Task Unwatch(ILiveObserver node)
    {
        Watchers.Unsubscribe(node);
        return Task.CompletedTask;
    }

    public Task ReportPresence(NodePresence presence)
    {
        if (Committed.Created && _watchers is { Count: > 0 })
        {
            var routed = presence with { Audience = ProposalAccess.Audience(Committed) };
            Watchers.Notify(n => n.OnEvent(routed));
        }
        return Task.CompletedTask;
    }

    public async Task<EditAck> SubmitTrackedEdit(Caller caller, long baseRevision, TextOperation op, string opId)
    {
        if (opId is not { Length: >= 1 and <= 64 } || !opId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw DomainException.InvalidInput("opId must be 1 to 64 of A-Z, a-z, 0-9, '_' and '-'.");
        }
        var key = (caller.Member, opId);
        if (_opIds.TryGetValue(key, out var first))
        {
            Readable(caller);
            return await first;
        }
        var submitted = Submit(caller, baseRevision, op, opId);
        _opIds[key] = submitted;
        try
        {
            var ack = await submitted;
            RememberOpId(key, ack.Revision);
            return ack;
        }
        catch
        {
            // Refused or not written: nothing was applied, so the same op id may be tried again.
            if (_opIds.TryGetValue(key, out var current) && current == submitted)
            {
                _opIds.Remove(key);
            }
            throw;
        }
    }

    /// <summary>An edit to push to the watching nodes (after its commit, in revision order): sent with its batch's others by <see cref="SendEditNotifications"/>.</summary>
    private void NotifyWatchers(EditCommitted evt)
    {
        if (_watchers is { Count: > 0 })
        {
            (_unsentEdits ??= []).Add(evt);
        }
    }

    /// <summary>Sends the committed edits not yet sent, as one message to each watching node (a batch of one as the edit itself).</summary>
    private void SendEditNotifications()
    {
        if (_unsentEdits is not { Count: > 0 } edits)
        {
            return;
        }
        _unsentEdits = null;
        if (_watchers is { Count: > 0 })
        {
            IAudienceEvent evt = edits.Count == 1 ? edits[0] : new EditsCommitted(GrainKey, edits, edits[^1].Audience);
            _watchers.Notify(n => n.OnEvent(evt));
        }
    }

    /// <summary>On activation: the op ids stored with the last <see cref="LimitsOptions.RecentOpIds"/> edits.</summary>
    private async Task LoadRecentOpIds(long revision)
    {
        if (revision <= 0 || Limits.RecentOpIds <= 0)
        {
            return;
        }
        var from = Math.Max(1, revision - Limits.RecentOpIds + 1);
        var rows = await store.ReadLogAsync(ProposalLog.OpStream, ProposalLog.FirstRowKeyFor(from), revision);
        foreach (var row in rows)
        {
            foreach (var (edit, opId) in ProposalLog.ReadTrackedOps(row))
            {
                if (opId is not null && edit.Revision >= from && edit.Revision <= revision)
                {
                    var key = (edit.Member, opId);
                    _opIds[key] = Task.FromResult(new EditAck(edit.Revision, edit.Op));
                    _opIdOrder.Enqueue((key, edit.Revision));
                }
            }
        }
    }

    private void RememberOpId((string Member, string OpId) key, long revision)
    {
        _opIdOrder.Enqueue((key, revision));
        var floor = revision - Limits.RecentOpIds;
        while (_opIdOrder.TryPeek(out var oldest) && oldest.Revision <= floor)
        {
            _opIdOrder.Dequeue();
            if (_opIds.TryGetValue(oldest.Key, out var task) && task.IsCompletedSuccessfully && task.Result.Revision == oldest.Revision)
            {
                _opIds.Remove(oldest.Key);
            }
        }
    }
}
