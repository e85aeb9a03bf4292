using AscCollab.Grains;
using AscCollab.Runtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// Turns grain events into hub pushes. Every event is routed by its <see cref="Audience"/>, with
/// Chair rights asked of <see cref="IChairmanship"/> at send time, so a handover takes effect on
/// the next push. Runs on the grain event stream's loop, in publish order; presence is pushed
/// from its own timer, coalesced to one message per proposal per <see cref="LiveOptions.PresenceInterval"/>.
/// </summary>
internal sealed class LivePublisher(
    IGrainEventStream events,
    IHubContext<CollabHub> hub,
    LiveConnections connections,
    LiveAccess access,
    IOptionsMonitor<LiveOptions> options,
    TimeProvider clock,
    ILogger<LivePublisher> logger) : BackgroundService
{
    private IDisposable? _subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(OnEventAsync);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PresenceInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = clock.GetUtcNow();
                var live = options.CurrentValue;
                foreach (var room in connections.Rooms)
                {
                    if (room.TakePresenceChange(now, live.PresenceInterval, live.PresenceRoomStep))
                    {
                        await PushPresenceAsync(room, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task PushPresenceAsync(ProposalRoom room, CancellationToken cancellationToken)
    {
        var audience = room.Audience;
        var ids = room.Recipients(c => audience is null || access.MaySee(c.Caller, audience), visibleOnly: true);
        try
        {
            var presence = room.Presence(options.CurrentValue.MaxEditorsListed);
            await SendAsync(ids, HubEvents.PresenceChanged, new PresenceChangedMessage(room.ProposalId, presence.Editors, presence.Members, presence.Total), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LiveLog.PushFailed(logger, HubEvents.PresenceChanged, room.ProposalId, ex);
        }
    }

    private ValueTask OnEventAsync(GrainEvent evt) => evt.Payload switch
    {
        EditCommitted e => new(OnEditAsync(e)),
        ProposalUpdated e => new(OnProposalUpdatedAsync(e)),
        GroupConsensusChanged e => new(SendAsync(
            Select(c => access.MaySee(c.Caller, e.Audience)),
            HubEvents.GroupConsensusChanged, new GroupConsensusChangedMessage(e.GroupId, e.Proposal))),
        MemberToDoChanged e => new(SendAsync(
            Select(c => c.Caller.Member == e.Member && c.Caller.Role != CallerRole.Secretariat && access.MaySee(c.Caller, e.Audience)),
            HubEvents.ToDoChanged, new ToDoChangedMessage(e.Member, e.ToDo))),
        ProgressChanged e => new(SendAsync(
            Select(c => c.WatchesDashboard && access.MaySee(c.Caller, e.Audience)),
            HubEvents.ProgressChanged, new ProgressChangedMessage(e.Overview))),
        _ => ValueTask.CompletedTask,
    };

    private async Task OnEditAsync(EditCommitted e)
    {
        if (connections.Room(e.ProposalId) is not { } room)
        {
            return;
        }
        try
        {
            room.Audience = e.Audience;
            room.RecordEdit(e.Revision, e.Op);
            var ids = room.Recipients(c => access.MaySee(c.Caller, e.Audience), except: e.Origin, revision: e.Revision);
            await SendAsync(ids, HubEvents.EditApplied, new EditAppliedMessage(e.ProposalId, e.Revision, e.Op, e.Member));
        }
        finally
        {
            // Even when a push failed: the author's ack must not wait for it.
            room.MarkDispatched(e.Revision);
        }
    }

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
}
