using System.Globalization;
using AscCollab.Grains;
using AscCollab.Storage;
using Orleans.Runtime;
using Orleans.Storage;
using AscCollab.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// Around every hub method: re-checks the caller (token still valid, member still on the roster),
/// applies the connection's rate limit, and turns every refusal into a <see cref="HubException"/>
/// whose message starts with a stable code ("forbidden: …"). Nothing is swallowed: unexpected
/// failures are logged and reported as "internal: …".
/// </summary>
internal sealed class CollabHubFilter(
    LiveConnections connections,
    IRoster roster,
    IOptionsMonitor<AscCollabOptions> domain,
    TimeProvider clock,
    ILogger<CollabHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var method = invocationContext.HubMethodName;
        var member = Echo.Of(invocationContext.Context.User?.FindFirst(CallerClaims.Member)?.Value ?? "?");
        try
        {
            Authorize(invocationContext.Context);
            var connection = connections.Get(invocationContext.Context.ConnectionId);
            var limit = method switch
            {
                nameof(CollabHub.SubmitEdit) or nameof(CollabHub.SubmitTrackedEdit) => LiveLimit.Edits,
                nameof(CollabHub.UpdateCursor) => LiveLimit.Cursors,
                _ => LiveLimit.Calls,
            };
            if (!connection.TryTake(limit))
            {
                throw new HubException($"{HubErrorCodes.RateLimited}: Too many {method} calls on this connection; slow down and retry.");
            }
            // Edits also draw on the member's budget, shared by all its connections on this node.
            if (limit == LiveLimit.Edits && !connection.Member.TryTakeEdit(clock))
            {
                throw new HubException($"{HubErrorCodes.RateLimited}: Too many edits from {connection.Caller.Member}'s connections together; slow down and retry.");
            }
            return await next(invocationContext);
        }
        catch (HubException ex)
        {
            var refusal = Echo.Message(ex.Message);
            LiveLog.Refused(logger, method, member, refusal);
            throw;
        }
        catch (DomainException ex)
        {
            // What the caller sent is echoed shortened, to the caller and in the log (Echo).
            var detail = Echo.Message(ex.Message);
            LiveLog.RefusedWithCode(logger, method, member, ex.Code, detail);
            throw new HubException($"{ex.Code}: {detail}", ex);
        }
        catch (InvalidTextOperationException ex)
        {
            throw new HubException($"{DomainErrorCodes.InvalidOp}: {Echo.Message(ex.Message)}", ex);
        }
        catch (Exception ex) when (Mapped(ex) is { } mapped)
        {
            LiveLog.Failed(logger, method, member, mapped.Code, ex);
            // The exception message may name internal grain ids; the client gets the code and a hint.
            throw new HubException($"{mapped.Code}: {mapped.Message}", ex);
        }
    }

    private static (string Code, string Message)? Mapped(Exception exception) => exception switch
    {
        TimeoutException or SiloUnavailableException => (DomainErrorCodes.OutcomeUnknown, RuntimeFailures.OutcomeUnknown),
        OrleansMessageRejectionException or GatewayTooBusyException => (DomainErrorCodes.Unavailable, "The server is busy; nothing was applied. Try again."),
        InconsistentStateException => (DomainErrorCodes.Conflict, "Another change got there first; reload and try again."),
        StorageLimitException => (DomainErrorCodes.TooLarge, "The change would exceed a storage limit."),
        OperationCanceledException => null,
        _ => (HubErrorCodes.Internal, "The server failed to handle the call; try again."),
    };

    /// <summary>The connect-time check again: claims, roster membership (it is configuration and may change) and token lifetime.</summary>
    private void Authorize(HubCallerContext context)
    {
        if (context.User is not { } user || !user.TryGetCaller(out var caller))
        {
            throw new HubException($"{DomainErrorCodes.Forbidden}: The token does not name a member and a role.");
        }
        var known = caller.Role == CallerRole.Secretariat
            ? caller.Member == domain.CurrentValue.SecretariatCode
            : roster.IsMember(caller.Member);
        if (!known)
        {
            throw new HubException($"{DomainErrorCodes.Forbidden}: '{Echo.Of(caller.Member)}' is not on the roster.");
        }
        if (long.TryParse(user.FindFirst(CallerClaims.Expires)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            && DateTimeOffset.FromUnixTimeSeconds(exp) <= clock.GetUtcNow())
        {
            throw new HubException($"{DomainErrorCodes.Forbidden}: The token has expired; reconnect with a new one.");
        }
    }
}
