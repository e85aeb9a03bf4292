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

    // Per member: its connection count and shared edit budget; guarded by _membership.
    private readonly Dictionary<string, MemberLimits> _members = new(StringComparer.Ordinal);

    // Joining and leaving rooms (and dropping empty ones), and counting a member's connections,
    // happen under this lock, so a room is never dropped while a connection is joining it.
    private readonly Lock _membership = new();

    public int Count => _connections.Count;

    public ICollection<LiveConnection> All => _connections.Values;

    public ICollection<ProposalRoom> Rooms => _rooms.Values;

    /// <summary>
    /// Registers a new connection; <c>too_many_connections</c> when its member already holds
    /// <see cref="LiveOptions.MaxConnectionsPerMember"/> on this node.
    /// </summary>
    public LiveConnection Add(string connectionId, Caller caller)
    {
        var live = options.CurrentValue;
        lock (_membership)
        {
            if (!_members.TryGetValue(caller.Member, out var member))
            {
                member = new MemberLimits(live, clock.GetTimestamp());
                _members[caller.Member] = member;
            }
            if (member.Connections >= live.MaxConnectionsPerMember)
            {
                throw new DomainException(HubErrorCodes.TooManyConnections,
                    $"{caller.Member} already has {member.Connections} connections to this server (at most {live.MaxConnectionsPerMember}); close one, or share one connection between views.");
            }
            member.Connections++;
            var connection = new LiveConnection(connectionId, caller, live, clock, member);
            _connections[connectionId] = connection;
            return connection;
        }
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
            if (--connection.Member.Connections == 0)
            {
                _members.Remove(connection.Caller.Member);
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
