using System.Buffers;
using System.Threading.Channels;
using AscCollab.Grains;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// This node's receiver of grain events (an Orleans grain observer) and their pusher to the hub.
/// It subscribes to the live feed (workflow, to-do, group, dashboard events) and to every proposal
/// its connections have open (edits, other nodes' presence), renewing each subscription every third
/// of its expiry, since observed grains keep subscribers only in memory and forget them on failover.
/// Events are queued and pushed one at a time in arrival order; a proposal's edits go out in
/// revision order with no gap and no duplicate: an edit past the next expected revision first
/// fetches the missing ones from the grain. Every event is routed by its <see cref="Audience"/>,
/// with Chair rights asked of the chairmanship at send time.
/// </summary>
internal sealed partial class LivePublisher(
    IGrainFactory grains,
    IHubContext<CollabHub> hub,
    LiveConnections connections,
    LiveAccess access,
    IOptionsMonitor<LiveOptions> options,
    IOptionsMonitor<AscCollabOptions> domain,
    TimeProvider clock,
    ILogger<LivePublisher> logger) : BackgroundService, ILiveObserver
{
    private readonly Channel<IAudienceEvent> _events = Channel.CreateUnbounded<IAudienceEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, IProposalGrain> _watched = new(StringComparer.Ordinal);
    private readonly Lock _watchedGate = new();

    // Edits that arrived ahead of an earlier one, per proposal, by revision. Touched by the push loop only.
    private readonly Dictionary<string, SortedList<long, EditCommitted>> _early = new(StringComparer.Ordinal);

    // Rooms whose presence this node reported to the other nodes; touched by the presence loop only.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private ILiveObserver? _self;

    /// <summary>This node's id in presence reports (its own reports come back and are skipped).</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N")[..12];

    private ILiveObserver Self => _self ?? throw new InvalidOperationException("The live publisher has not started.");

    private Caller System => new(domain.CurrentValue.SecretariatCode, CallerRole.Secretariat);

    public Task OnEvent(IAudienceEvent evt)
    {
        _events.Writer.TryWrite(evt);
        return Task.CompletedTask;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _self = grains.CreateObjectReference<ILiveObserver>(this);
        await Feed.Subscribe(_self);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_self is not null)
        {
            try
            {
                await Feed.Unsubscribe(_self).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LiveLog.RenewFailed(logger, "feed", ex);
            }
            try
            {
                grains.DeleteObjectReference<ILiveObserver>(_self);
            }
            catch (ArgumentException)
            {
                // The silo already dropped its local objects (it stops before us).
            }
        }
    }

    /// <summary>Before a connection reads a proposal: this node receives its edits from now on.</summary>
    public async Task WatchAsync(ProposalRoom room)
    {
        IProposalGrain grain;
        lock (_watchedGate)
        {
            if (_watched.ContainsKey(room.ProposalId))
            {
                return;
            }
            grain = grains.Proposal(room.ProposalId);
        }
        var watched = await grain.Watch(Self);
        room.Audience ??= watched.Audience;
        lock (_watchedGate)
        {
            _watched[room.ProposalId] = grain;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PushLoop(stoppingToken), PresenceLoop(stoppingToken), RenewLoop(stoppingToken));

    private ILiveFeedGrain Feed => grains.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.Key);

    private async Task PushLoop(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var evt in _events.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await OnEventAsync(evt);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LiveLog.PushFailed(logger, evt.GetType().Name, (evt as EditCommitted)?.ProposalId ?? (evt as EditsCommitted)?.ProposalId ?? "", ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task PresenceLoop(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PresenceInterval, clock);
        var nextReport = clock.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = clock.GetUtcNow();
                var live = options.CurrentValue;
                // Every node re-reports its rooms now and then, so others drop a node that went away.
                var reportAll = now >= nextReport;
                if (reportAll)
                {
                    nextReport = now + live.PresenceReportInterval;
                }
                // Nobody is here any more: tell the other nodes once, so they drop this node's connections at once.
                foreach (var closed in _reported.Where(id => connections.Room(id) is null).ToList())
                {
                    _reported.Remove(closed);
                    grains.Proposal(closed).ReportPresence(new NodePresence(closed, Node, [], [], 0, Audience.All, now)).Ignore();
                }
                foreach (var room in connections.Rooms)
                {
                    if (reportAll)
                    {
                        room.ExpireRemotePresence(now - (live.PresenceReportInterval * 3));
                    }
                    var changed = room.TakePresenceChange(now, live.PresenceInterval, live.PresenceRoomStep);
                    if (changed)
                    {
                        await PushPresenceAsync(room, stoppingToken);
                    }
                    if (changed && room.TakeLocalPresenceChange() || reportAll)
                    {
                        ReportPresence(room, now);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task RenewLoop(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(domain.CurrentValue.Live.SubscriptionExpiry / 3, clock, stoppingToken);
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    /// <summary>Renews the feed and every open proposal's subscription, drops those of closed rooms, and repairs any gap a lost subscription left.</summary>
    internal async Task RenewAsync()
    {
        try
        {
            await Feed.Subscribe(Self);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LiveLog.RenewFailed(logger, "feed", ex);
        }
        List<KeyValuePair<string, IProposalGrain>> watched;
        lock (_watchedGate)
        {
            watched = [.. _watched];
        }
        foreach (var (proposalId, grain) in watched)
        {
            try
            {
                if (connections.Room(proposalId) is not { } room)
                {
                    lock (_watchedGate)
                    {
                        _watched.Remove(proposalId);
                    }
                    await grain.Unwatch(Self);
                    continue;
                }
                var state = await grain.Watch(Self);
                room.Audience = state.Audience;
                if (room.KnownRevision >= 0 && state.Revision > room.KnownRevision)
                {
                    _events.Writer.TryWrite(new EditsBehind(proposalId, state.Revision, state.Audience));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LiveLog.RenewFailed(logger, proposalId, ex);
            }
        }
    }

    private void ReportPresence(ProposalRoom room, DateTimeOffset now)
    {
        _reported.Add(room.ProposalId);
        var local = room.LocalPresence(options.CurrentValue.MaxEditorsListed);
        var report = new NodePresence(room.ProposalId, Node,
            [.. local.Editors.Select(e => new PresentEditor(e.Member, e.ConnectionId, e.Cursor?.Anchor, e.Cursor?.Head, e.Cursor?.Revision ?? 0))],
            [.. local.Members.Select(m => new PresentMember(m.Member, m.Connections))],
            local.Total, Audience.All, now);
        grains.Proposal(room.ProposalId).ReportPresence(report).Ignore();
    }

    private async Task PushPresenceAsync(ProposalRoom room, CancellationToken cancellationToken)
    {
        var audience = room.Audience;
        var ids = room.Recipients(c => audience is null || access.MaySee(c.Caller, audience), visibleOnly: true);
        try
        {
            var presence = room.Presence(options.CurrentValue.MaxEditorsListed, clock.GetUtcNow() - options.CurrentValue.PresenceReportInterval * 3);
            await SendAsync(ids, HubEvents.PresenceChanged, new PresenceChangedMessage(room.ProposalId, presence.Editors, presence.Members, presence.Total), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LiveLog.PushFailed(logger, HubEvents.PresenceChanged, room.ProposalId, ex);
        }
    }

    private Task OnEventAsync(IAudienceEvent evt) => evt switch
    {
        EditCommitted e => OnEditAsync(e),
        EditsCommitted e => OnEditsAsync(e),
        EditsBehind e => CatchUpAsync(e.ProposalId, e.Revision, e.Audience),
        NodePresence e => OnRemotePresence(e),
        ProposalUpdated e => OnProposalUpdatedAsync(e),
        StructureChanged e => SendToRoomAsync(e.Structure.ProposalId, e.Audience, HubEvents.StructureChanged, new StructureChangedMessage(e.Structure.ProposalId, e.Structure)),
        VersionRecorded e => SendToRoomAsync(e.ProposalId, e.Audience, HubEvents.VersionRecorded, new VersionRecordedMessage(e.ProposalId, e.Version)),
        GroupConsensusChanged e => SendAsync(
            Select(c => access.MaySee(c.Caller, e.Audience)),
            HubEvents.GroupConsensusChanged, new GroupConsensusChangedMessage(e.GroupId, e.Proposal)),
        MemberToDoChanged e => SendAsync(
            Select(c => c.Caller.Member == e.Member && c.Caller.Role != CallerRole.Secretariat && access.MaySee(c.Caller, e.Audience)),
            HubEvents.ToDoChanged, new ToDoChangedMessage(e.Member, e.ToDo)),
        ProgressChanged e => SendAsync(
            Select(c => c.WatchesDashboard && access.MaySee(c.Caller, e.Audience)),
            HubEvents.ProgressChanged, new ProgressChangedMessage(e.Overview)),
        AmendmentChanged e => OnAnnotationAsync(e.ProposalId, e.Audience, HubEvents.AmendmentChanged, new AmendmentChangedMessage(e.ProposalId, e.Revision, e.Amendment)),
        CommentChanged e => OnAnnotationAsync(e.ProposalId, e.Audience, HubEvents.CommentChanged, new CommentChangedMessage(e.ProposalId, e.Revision, e.Thread)),
        IntegrityIncidentChanged e => SendAsync(
            Select(c => c.WatchesDashboard && access.MaySee(c.Caller, e.Audience)),
            HubEvents.IntegrityIncident, new IntegrityIncidentMessage(e.Incident)),
        _ => Task.CompletedTask,
    };

    private Task OnRemotePresence(NodePresence e)
    {
        if (e.Node != Node && connections.Room(e.ProposalId) is { } room)
        {
            room.Audience = e.Audience;
            room.SetRemotePresence(e);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A batch's edits that follow on from what the room has go out together: each recipient
    /// receives the ones it gets in one write (<see cref="DispatchRunAsync"/>). An edit that does
    /// not follow on (already pushed, or past a gap) takes the one-edit path.
    /// </summary>
    private async Task OnEditsAsync(EditsCommitted batch)
    {
        if (connections.Room(batch.ProposalId) is not { } room)
        {
            _early.Remove(batch.ProposalId);
            return;
        }
        var run = new List<EditCommitted>(batch.Edits.Count);
        foreach (var edit in batch.Edits)
        {
            var known = run.Count > 0 ? run[^1].Revision : room.KnownRevision;
            if (edit.ProposalId == room.ProposalId && (known < 0 || edit.Revision == known + 1))
            {
                run.Add(edit);
                continue;
            }
            if (run.Count > 0)
            {
                await DispatchRunAsync(room, run);
                run = [];
            }
            await OnEditAsync(edit);
        }
        if (run.Count > 0)
        {
            await DispatchRunAsync(room, run);
        }
        await FlushEarlyAsync(room);
    }

    private async Task OnEditAsync(EditCommitted e)
    {
        if (connections.Room(e.ProposalId) is not { } room)
        {
            _early.Remove(e.ProposalId);
            return;
        }
        var known = room.KnownRevision;
        if (known >= 0 && e.Revision <= known)
        {
            return;
        }
        if (known >= 0 && e.Revision > known + 1)
        {
            // Ahead of an earlier edit: hold it, and fetch the missing ones if they do not follow soon.
            if (!_early.TryGetValue(e.ProposalId, out var held))
            {
                held = [];
                _early[e.ProposalId] = held;
                _ = FetchIfStillBehindAsync(e.ProposalId, e.Audience);
            }
            held.TryAdd(e.Revision, e);
            return;
        }
        await DispatchAsync(room, e);
        await FlushEarlyAsync(room);
    }

    private async Task FetchIfStillBehindAsync(string proposalId, Audience audience)
    {
        await Task.Delay(options.CurrentValue.EditGapWait, clock);
        // The push loop decides: by then the held edits may have been pushed already.
        _events.Writer.TryWrite(new EditsBehind(proposalId, UpToHeld, audience));
    }

    /// <summary>Pushes held edits that now follow on.</summary>
    private async Task FlushEarlyAsync(ProposalRoom room)
    {
        if (!_early.TryGetValue(room.ProposalId, out var held))
        {
            return;
        }
        while (held.Count > 0 && held.Keys[0] <= room.KnownRevision + 1)
        {
            var next = held.Values[0];
            held.RemoveAt(0);
            if (next.Revision == room.KnownRevision + 1)
            {
                await DispatchAsync(room, next);
            }
        }
        if (held.Count == 0)
        {
            _early.Remove(room.ProposalId);
        }
    }

    /// <summary>Pushes the edits after the room's last known revision up to <paramref name="revision"/>, from the grain, then any held ones that follow.</summary>
    private async Task CatchUpAsync(string proposalId, long revision, Audience audience)
    {
        if (connections.Room(proposalId) is not { } room)
        {
            _early.Remove(proposalId);
            return;
        }
        if (revision == UpToHeld)
        {
            revision = _early.TryGetValue(proposalId, out var held) && held.Count > 0 ? held.Keys[0] - 1 : -1;
        }
        if (room.KnownRevision >= 0 && room.KnownRevision < revision)
        {
            var known = room.KnownRevision;
            var edits = await grains.Proposal(proposalId).GetEditsSince(System, known);
            LiveLog.CaughtUp(logger, proposalId, known, revision, edits.Count);
            foreach (var edit in edits)
            {
                if (edit.Revision == room.KnownRevision + 1 && edit.Revision <= revision)
                {
                    await DispatchAsync(room, new EditCommitted(proposalId, edit.Revision, edit.Op, edit.Member, audience) { Origin = edit.Origin });
                }
            }
        }
        await FlushEarlyAsync(room);
    }

    private Task DispatchAsync(ProposalRoom room, EditCommitted e) => DispatchRunAsync(room, [e]);

    /// <summary>
    /// Pushes edits that follow on, in revision order, as EditApplied to every connection that may
    /// see them except each one's author. A connection that gets several receives them in one
    /// write: the JSON hub protocol's records one after the other, one WebSocket frame (clients
    /// read every record of a frame, in order). Each message is serialised once for all.
    /// </summary>
    private async Task DispatchRunAsync(ProposalRoom room, List<EditCommitted> run)
    {
        try
        {
            if (run.Count == 1)
            {
                await PushEditAsync(room, run[0]);
                return;
            }
            var messages = new SerializedHubMessage[run.Count];
            var payloads = new EditAppliedMessage[run.Count];
            // Per recipient, the indexes of the edits it gets, in order.
            var recipients = new Dictionary<LiveConnection, List<int>>();
            for (var i = 0; i < run.Count; i++)
            {
                (payloads[i], messages[i], var recipientsOfEdit) = Prepare(room, run[i]);
                foreach (var connection in recipientsOfEdit)
                {
                    if (!recipients.TryGetValue(connection, out var indexes))
                    {
                        indexes = new List<int>(run.Count);
                        recipients[connection] = indexes;
                    }
                    indexes.Add(i);
                }
            }
            await PushEditsAsync(recipients, messages, payloads);
        }
        finally
        {
            // Even when a push failed: the authors' acks must not wait for it.
            room.MarkDispatched(run[^1].Revision);
        }
    }

    private async Task PushEditsAsync(Dictionary<LiveConnection, List<int>> recipients, SerializedHubMessage[] messages, EditAppliedMessage[] payloads)
    {
        List<Task>? pending = null;
        List<byte[]>? rented = null;
        try
        {
            foreach (var (connection, indexes) in recipients)
            {
                ValueTask write;
                if (connection.Hub is not { } hubConnection)
                {
                    write = new ValueTask(SendEachAsync(connection.Id, indexes, payloads));
                }
                else if (indexes.Count == 1)
                {
                    write = hubConnection.WriteAsync(messages[indexes[0]]);
                }
                else
                {
                    var protocol = hubConnection.Protocol;
                    var length = 0;
                    foreach (var i in indexes)
                    {
                        length += messages[i].GetSerializedMessage(protocol).Length;
                    }
                    var buffer = ArrayPool<byte>.Shared.Rent(length);
                    (rented ??= []).Add(buffer);
                    var written = 0;
                    foreach (var i in indexes)
                    {
                        var bytes = messages[i].GetSerializedMessage(protocol);
                        bytes.Span.CopyTo(buffer.AsSpan(written));
                        written += bytes.Length;
                    }
                    write = hubConnection.WriteAsync(new SerializedHubMessage([new SerializedMessage(protocol.Name, buffer.AsMemory(0, written))]));
                }
                Track(write, ref pending);
            }
            if (pending is not null)
            {
                await Task.WhenAll(pending);
            }
        }
        finally
        {
            // Written (copied into the connection's pipe) or failed: the buffers are free again.
            foreach (var buffer in rented ?? [])
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// One edit, the usual case while typing: its message, serialised once, goes as it is to each
    /// recipient, without the per-recipient bookkeeping a run of several needs.
    /// </summary>
    private async Task PushEditAsync(ProposalRoom room, EditCommitted e)
    {
        var (payload, message, recipients) = Prepare(room, e);
        List<Task>? pending = null;
        foreach (var connection in recipients)
        {
            Track(connection.Hub is { } hubConnection
                ? hubConnection.WriteAsync(message)
                : new ValueTask(hub.Clients.Client(connection.Id).SendAsync(HubEvents.EditApplied, payload)), ref pending);
        }
        if (pending is not null)
        {
            await Task.WhenAll(pending);
        }
    }

    /// <summary>Records the edit in the room; its EditApplied payload, that message serialised once for all, and the connections that get it.</summary>
    private (EditAppliedMessage Payload, SerializedHubMessage Message, List<LiveConnection> Recipients) Prepare(ProposalRoom room, EditCommitted e)
    {
        room.Audience = e.Audience;
        room.RecordEdit(e.Revision, e.Op);
        var payload = new EditAppliedMessage(e.ProposalId, e.Revision, e.Op, e.Member);
        var message = new SerializedHubMessage(new InvocationMessage(HubEvents.EditApplied, [payload]));
        return (payload, message, room.Recipients(c => access.MaySee(c.Caller, e.Audience), static c => c, except: e.Origin, revision: e.Revision));
    }

    /// <summary>A write that does not finish at once waits for the connection's earlier write; the rest go on meanwhile.</summary>
    private static void Track(ValueTask write, ref List<Task>? pending)
    {
        if (write.IsCompletedSuccessfully)
        {
            // Consumed, as a ValueTask must be once.
            write.GetAwaiter().GetResult();
            return;
        }
        (pending ??= []).Add(write.AsTask());
    }

    /// <summary>A connection whose SignalR side is not known here: one message per edit, through the hub context.</summary>
    private async Task SendEachAsync(string connectionId, List<int> indexes, EditAppliedMessage[] payloads)
    {
        foreach (var i in indexes)
        {
            await hub.Clients.Client(connectionId).SendAsync(HubEvents.EditApplied, payloads[i]);
        }
    }

    /// <summary>To the connections with the proposal open that may see it.</summary>
    private Task SendToRoomAsync(string proposalId, Audience audience, string method, object message) =>
        connections.Room(proposalId) is { } room
            ? SendAsync(room.Recipients(c => access.MaySee(c.Caller, audience), visibleOnly: true), method, message)
            : Task.CompletedTask;

    private async Task OnProposalUpdatedAsync(ProposalUpdated e)
    {
        var room = connections.Room(e.Summary.ProposalId);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (room is not null)
        {
            room.Audience = e.Audience;
            ids.UnionWith(room.Recipients(c => access.MaySee(c.Caller, e.Audience)));
        }
        ids.UnionWith(Select(c => c.WatchesDashboard && access.Monitors(c.Caller)));
        await SendAsync([.. ids], HubEvents.ProposalUpdated, new ProposalUpdatedMessage(e.Summary.ProposalId, e.Summary));
    }

    private List<string> Select(Func<LiveConnection, bool> wanted) => [.. connections.All.Where(wanted).Select(c => c.Id)];

    private Task SendAsync(List<string> connectionIds, string method, object message, CancellationToken cancellationToken = default) =>
        connectionIds.Count == 0 ? Task.CompletedTask : hub.Clients.Clients(new ConnectionIdList(connectionIds)).SendAsync(method, message, cancellationToken);

    /// <summary>In <see cref="EditsBehind"/>: up to the first held edit, whatever it is by then.</summary>
    private const long UpToHeld = -2;

    /// <summary>Queued by a renewal that found the grain ahead of what this node pushed, or by a gap that did not close.</summary>
    private sealed record EditsBehind(string ProposalId, long Revision, Audience Audience) : IAudienceEvent;
}
