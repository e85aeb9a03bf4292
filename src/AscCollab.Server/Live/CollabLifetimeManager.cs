using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace AscCollab.Server;

/// <summary>
/// SignalR's default lifetime manager for the hub, which also hands each new connection's
/// <see cref="HubConnectionContext"/> to the hub's OnConnectedAsync (SignalR gives the hub only its
/// caller context). The publisher then writes the several EditApplied of one committed batch to a
/// connection as one write, one WebSocket frame, instead of one frame per edit (<see cref="LivePublisher"/>).
/// A connection is held here only between the two connect steps; after that its
/// <see cref="LiveConnection"/> keeps it.
/// </summary>
internal sealed class CollabLifetimeManager(ILogger<DefaultHubLifetimeManager<CollabHub>> logger) : DefaultHubLifetimeManager<CollabHub>(logger)
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _arriving = new(StringComparer.Ordinal);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await base.OnConnectedAsync(connection);
        _arriving[connection.ConnectionId] = connection;
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        // The hub's OnConnectedAsync may have refused the connection before taking it.
        _arriving.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }

    /// <summary>The connection that has just connected, once (null when it is not known here).</summary>
    public HubConnectionContext? Take(string connectionId) =>
        _arriving.TryRemove(connectionId, out var connection) ? connection : null;
}
