using System.Collections.Concurrent;
using AscCollab.Grains;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// The presence service: which connections exist, who they are, and which proposals each has
/// open. A singleton owned by the hub's lifetime (connect/disconnect) and read by
/// <see cref="LivePublisher"/>; nothing else writes to it.
/// </summary>
internal sealed class LiveConnections(IOptionsMonitor<LiveOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProposalRoom> _rooms = new(StringComparer.Ordinal);

    // Joining and leaving rooms (and dropping empty ones) happen under this lock, so a room is
    // never dropped while a connection is joining it.
    private readonly Lock _membership = new();

    public int Count => _connections.Count;

    public ICollection<LiveConnection> All => _connections.Values;

    public ICollection<ProposalRoom> Rooms => _rooms.Values;

    public LiveConnection Add(string connectionId, Caller caller)
    {
        var connection = new LiveConnection(connectionId, caller, options.CurrentValue, clock);
        _connections[connectionId] = connection;
        return connection;
    }

    /// <summary>The connection, or a <c>forbidden</c> error when it is not (or no longer) registered.</summary>
    public LiveConnection Get(string connectionId) =>
        _connections.TryGetValue(connectionId, out var connection)
            ? connection
            : throw new DomainException(DomainErrorCodes.Forbidden, "This connection is not registered; reconnect.");

    public void Remove(string connectionId)
    {
        lock (_membership)
        {
            if (!_connections.TryRemove(connectionId, out var connection))
            {
                return;
            }
            foreach (var proposalId in connection.Open)
            {
                LeaveLocked(connectionId, proposalId);
            }
            connection.Open.Clear();
        }
    }

    public ProposalRoom? Room(string proposalId) => _rooms.GetValueOrDefault(proposalId);

    /// <summary>Adds the connection to the proposal's room (events flow at once); <c>too_large</c> past the per-connection limit.</summary>
    public ProposalRoom Join(LiveConnection connection, string proposalId)
    {
        lock (_membership)
        {
            if (!_connections.ContainsKey(connection.Id))
            {
                throw new DomainException(DomainErrorCodes.Forbidden, "This connection has closed.");
            }
            if (!connection.Open.Contains(proposalId) && connection.Open.Count >= options.CurrentValue.MaxOpenProposals)
            {
                throw new DomainException(DomainErrorCodes.TooLarge, $"A connection may have at most {options.CurrentValue.MaxOpenProposals} proposals open; close one first.");
            }
            var room = _rooms.GetOrAdd(proposalId, id => new ProposalRoom(id, options.CurrentValue.CursorHistory));
            room.Add(connection);
            if (!connection.Open.Contains(proposalId))
            {
                // The room's copy of the id: every connection would otherwise keep its own.
                connection.Open.Add(room.ProposalId);
            }
            return room;
        }
    }

    /// <summary>False when the connection did not have the proposal open.</summary>
    public bool Leave(LiveConnection connection, string proposalId)
    {
        lock (_membership)
        {
            if (!connection.Open.Remove(proposalId))
            {
                return false;
            }
            LeaveLocked(connection.Id, proposalId);
            return true;
        }
    }

    private void LeaveLocked(string connectionId, string proposalId)
    {
        if (_rooms.TryGetValue(proposalId, out var room))
        {
            room.Remove(connectionId);
            if (room.IsEmpty)
            {
                _rooms.TryRemove(proposalId, out _);
            }
        }
    }
}
