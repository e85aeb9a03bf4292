using System.Text.Json;
using AscCollab.Grains;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// <c>/hubs/collab</c>: the editing contract of the architecture brief plus presence, live
/// workflow state and the Chair's dashboard (docs/hub.md). Thin and transient: each method
/// checks who calls and forwards to a grain or to the presence service. Rate limits, the
/// per-call authorization re-check and the error codes are in <see cref="CollabHubFilter"/>;
/// pushes go out through <see cref="LivePublisher"/>.
/// </summary>
[Authorize]
internal sealed partial class CollabHub(
    LiveConnections connections,
    LiveAccess access,
    LivePublisher publisher,
    EditFunnel funnel,
    IGrainFactory grains,
    ReceiptIssuer receipts,
    IOptionsMonitor<AscCollabOptions> domain,
    IOptionsMonitor<LiveOptions> options,
    HubLifetimeManager<CollabHub> lifetime,
    ILogger<CollabHub> logger) : Hub
{
    public override Task OnConnectedAsync()
    {
        var caller = Context.User!.ToCaller();
        try
        {
            var connection = connections.Add(Context.ConnectionId, caller);
            connection.Hub = (lifetime as CollabLifetimeManager)?.Take(Context.ConnectionId);
        }
        catch (DomainException ex)
        {
            // No filter runs around OnConnectedAsync: the refusal is coded here. SignalR closes the
            // connection with "Connection closed with an error. HubException: too_many_connections: …".
            LiveLog.RefusedWithCode(logger, nameof(OnConnectedAsync), caller.Member, ex.Code, ex.Message);
            throw new HubException($"{ex.Code}: {ex.Message}", ex);
        }
        // The request's authentication result (ticket, properties) was read at the connect, for the
        // authorization and the expiry close, and is never read again; the WebSocket keeps its request
        // for the connection's life. Setting the user through the authentication feature keeps the
        // principal and drops the result.
        if (Context.GetHttpContext() is { User: { } user } http)
        {
            http.User = user;
        }
        LiveLog.Connected(logger, Context.ConnectionId, caller.Member, caller.Role);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        LiveLog.Disconnected(logger, Context.ConnectionId, exception);
        return Task.CompletedTask;
    }

    /// <summary>The committed document; the connection then receives the proposal's events.</summary>
    public async Task<OpenedProposal> OpenProposal(string proposalId)
    {
        var connection = connections.Get(Context.ConnectionId);
        var grain = Proposal(proposalId);
        // Join before reading: every edit after the snapshot is then pushed (earlier ones are filtered by revision).
        var room = connections.Join(connection, proposalId);
        ProposalSnapshot snapshot;
        try
        {
            // This node receives the proposal's edits from here on, whichever node sequences them.
            await publisher.WatchAsync(room);
            snapshot = await grain.Open(connection.Caller);
        }
        catch
        {
            connections.Leave(connection, proposalId);
            throw;
        }
        room.Confirm(connection.Id, snapshot.Revision);
        var live = options.CurrentValue;
        var presence = room.Presence(live.MaxEditorsListed, DateTimeOffset.UtcNow - (live.PresenceReportInterval * 3));
        return new OpenedProposal(snapshot.ProposalId, snapshot.Title, snapshot.Revision, snapshot.Text, snapshot.Status,
            snapshot.SignOffs, presence.Editors, snapshot.TextHash, snapshot.Summary, connection.Id, presence.Members, presence.Total);
    }

    /// <summary>Stops the proposal's events and presence for this connection. Closing what is not open is a no-op.</summary>
    public void CloseProposal(string proposalId) => connections.Leave(connections.Get(Context.ConnectionId), proposalId);

    /// <summary>
    /// Applies <paramref name="op"/> made on <paramref name="baseRevision"/>; answers once durable and after
    /// every earlier edit was pushed to this connection, so the ack never overtakes an EditApplied it follows.
    /// </summary>
    public async Task<EditResult> SubmitEdit(string proposalId, long baseRevision, JsonElement op)
    {
        var connection = connections.Get(Context.ConnectionId);
        RequireProposalId(proposalId);
        var parsed = LiveOps.Read(op, domain.CurrentValue.Limits);
        var ack = await funnel.SubmitAsync(proposalId, new EditSubmission(connection.Caller, baseRevision, parsed, null));
        return await Acknowledge(connection, proposalId, ack);
    }

    /// <summary>
    /// SubmitEdit with a client op id (1–64 of A–Z a–z 0–9 _ -), kept by the proposal grain with the edit:
    /// sending the same op id again — after a reconnect, a timeout (<c>outcome_unknown</c>) or a failover
    /// to another node — answers with the first submission's revision instead of applying it twice.
    /// </summary>
    public async Task<EditResult> SubmitTrackedEdit(string proposalId, long baseRevision, JsonElement op, string opId)
    {
        if (opId is not { Length: >= 1 and <= 64 } || !opId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new DomainException(DomainErrorCodes.InvalidInput, "opId must be 1 to 64 of A-Z, a-z, 0-9, '_' and '-'.");
        }
        var connection = connections.Get(Context.ConnectionId);
        RequireProposalId(proposalId);
        var parsed = LiveOps.Read(op, domain.CurrentValue.Limits);
        var ack = await funnel.SubmitAsync(proposalId, new EditSubmission(connection.Caller, baseRevision, parsed, opId));
        return await Acknowledge(connection, proposalId, ack);
    }

    /// <summary>The committed edits after <paramref name="revision"/>, ascending (reconnect and gap repair).</summary>
    public async Task<IReadOnlyList<EditView>> GetEditsSince(string proposalId, long revision)
    {
        var connection = connections.Get(Context.ConnectionId);
        var edits = await Proposal(proposalId).GetEditsSince(connection.Caller, revision);
        return [.. edits.Select(e => new EditView(e.Revision, e.Op, e.Member, e.At))];
    }

    /// <summary>
    /// GetEditsSince for a client coming back after a reconnect, with what it holds at <paramref name="revision"/>:
    /// the edit it has as that revision (or null) and, when it has none, the SHA-256 of its text there (or null).
    /// revision_lost when storage lost that revision (docs/hub.md, "Storage that lost acknowledged changes").
    /// </summary>
    public async Task<IReadOnlyList<EditView>> Resync(string proposalId, long revision, JsonElement op, string? textHash)
    {
        if (textHash is not null && (textHash.Length != 64 || !textHash.All(char.IsAsciiHexDigit)))
        {
            throw new DomainException(DomainErrorCodes.InvalidInput, "textHash must be null or 64 hexadecimal digits (SHA-256).");
        }
        var connection = connections.Get(Context.ConnectionId);
        var grain = Proposal(proposalId);
        var parsed = op.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : LiveOps.Read(op, domain.CurrentValue.Limits);
        var edits = await grain.Resync(connection.Caller, revision, parsed, textHash);
        return [.. edits.Select(e => new EditView(e.Revision, e.Op, e.Member, e.At))];
    }

    /// <summary>The committed text at <paramref name="revision"/> (0 = as proposed), for history and diffs.</summary>
    public async Task<RevisionText> GetTextAt(string proposalId, long revision)
    {
        var connection = connections.Get(Context.ConnectionId);
        return await Proposal(proposalId).GetTextAt(connection.Caller, revision);
    }

    /// <summary>Paragraphs, numbers, statuses, brackets and ad-referendum marks of the committed text (docs/drafting.md).</summary>
    public async Task<DraftStructure> GetStructure(string proposalId)
    {
        var connection = connections.Get(Context.ConnectionId);
        return await Drafting(proposalId).GetStructure(connection.Caller);
    }

    /// <summary>The proposal's versions, ascending.</summary>
    public async Task<IReadOnlyList<VersionRecord>> GetVersions(string proposalId)
    {
        var connection = connections.Get(Context.ConnectionId);
        return await Drafting(proposalId).GetVersions(connection.Caller);
    }

    /// <summary>This connection's selection at <paramref name="revision"/>; null clears it. Pushed coalesced (PresenceChanged).</summary>
    public void UpdateCursor(string proposalId, long revision, CursorRange? cursor)
    {
        var connection = connections.Get(Context.ConnectionId);
        if (cursor is not null && (cursor.Anchor < 0 || cursor.Head < 0
            || cursor.Anchor > domain.CurrentValue.Limits.MaxTextCodePoints || cursor.Head > domain.CurrentValue.Limits.MaxTextCodePoints))
        {
            throw new DomainException(DomainErrorCodes.InvalidInput, "anchor and head must be code-point positions in the text.");
        }
        if (connections.Room(proposalId) is not { } room || !room.Contains(connection.Id))
        {
            throw new DomainException(DomainErrorCodes.InvalidInput, $"Open proposal '{Echo.Of(proposalId)}' before reporting a cursor in it.");
        }
        if (!room.SetCursor(connection.Id, revision, cursor))
        {
            throw new DomainException(DomainErrorCodes.StaleRevision, $"Revision {revision} is too far behind for a cursor; send one at a newer revision.");
        }
    }

    /// <summary>A delegate gives its own member's position on the current revision (REST has the same); the summary with the act's signed receipt.</summary>
    public async Task<WithReceipt<ProposalSummary>> SignOff(string proposalId, Position position, string? reason, long revision)
    {
        var caller = connections.Get(Context.ConnectionId).Caller;
        var snapshot = await Proposal(proposalId).SignOff(caller, new SignOffRequest(caller.Member, position, reason, revision));
        return receipts.Answer(snapshot.Summary, snapshot.Receipt);
    }

    /// <summary>What awaits the connection's own delegation; ToDoChanged follows it without further calls.</summary>
    public Task<MemberToDo> GetToDo()
    {
        var caller = connections.Get(Context.ConnectionId).Caller;
        if (caller.Role == CallerRole.Secretariat)
        {
            throw new DomainException(DomainErrorCodes.Forbidden, "The secretariat signs nothing and has no to-do list.");
        }
        return grains.GetGrain<IMemberGrain>(caller.Member).GetToDo(caller);
    }

    /// <summary>Chair (holding the chairmanship now) or secretariat: the dashboard now, then ProgressChanged and every ProposalUpdated.</summary>
    public async Task<ProgressOverview> WatchDashboard()
    {
        var connection = connections.Get(Context.ConnectionId);
        if (!access.Monitors(connection.Caller))
        {
            throw new DomainException(DomainErrorCodes.Forbidden, "Only the Chair (the member holding the chairmanship) and the secretariat watch the dashboard.");
        }
        // Watch first, then read: a change in between is pushed rather than lost.
        connection.WatchesDashboard = true;
        try
        {
            return await grains.GetGrain<IProgressGrain>(IProgressGrain.Key).GetOverview(connection.Caller);
        }
        catch
        {
            connection.WatchesDashboard = false;
            throw;
        }
    }

    public void UnwatchDashboard() => connections.Get(Context.ConnectionId).WatchesDashboard = false;

    private async Task<EditResult> Acknowledge(LiveConnection connection, string proposalId, EditAck ack)
    {
        if (connections.Room(proposalId) is { } room && room.Contains(connection.Id))
        {
            var timeout = options.CurrentValue.AckOrderingTimeout;
            if (!await room.WaitDispatchedAsync(ack.Revision, timeout))
            {
                LiveLog.AckOrderingTimedOut(logger, proposalId, ack.Revision, timeout.TotalMilliseconds);
            }
        }
        return new EditResult(ack.Revision);
    }

    // A key that cannot be a proposal id is answered here, before any grain is activated for it.
    private IProposalDrafting Drafting(string proposalId) =>
        ProposalIds.IsValid(proposalId)
            ? grains.GetGrain<IProposalDrafting>(proposalId)
            : throw new DomainException(DomainErrorCodes.NotFound, $"There is no proposal '{Echo.Of(proposalId)}'.");

    private IProposalGrain Proposal(string proposalId) => grains.Proposal(RequireProposalId(proposalId));

    private static string RequireProposalId(string proposalId) =>
        ProposalIds.IsValid(proposalId)
            ? proposalId
            : throw new DomainException(DomainErrorCodes.NotFound, $"There is no proposal '{Echo.Of(proposalId)}'.");
}
