using Orleans;

namespace AscCollab.Grains;

/// <summary>
/// A refused request. <see cref="Code"/> is one of <see cref="DomainErrorCodes"/>; the Server
/// maps it to a HubException "code: message" and to Problem Details. Nothing was changed.
/// Crosses grain boundaries: Orleans' exception codec carries Message and InnerException, the
/// generated part carries <see cref="Code"/>.
/// </summary>
[GenerateSerializer, Alias("AscCollab.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException(string code, string message) : base(message) => Code = code;

    public DomainException() : this(DomainErrorCodes.InvalidInput, "Invalid request.") { }

    public DomainException(string message) : this(DomainErrorCodes.InvalidInput, message) { }

    public DomainException(string message, Exception innerException) : base(message, innerException) =>
        Code = DomainErrorCodes.InvalidInput;

    [Id(0)]
    public string Code { get; private set; }

    internal static DomainException NotFound(string message) => new(DomainErrorCodes.NotFound, message);
    internal static DomainException Forbidden(string message) => new(DomainErrorCodes.Forbidden, message);
    internal static DomainException InvalidInput(string message) => new(DomainErrorCodes.InvalidInput, message);
    internal static DomainException InvalidTransition(string message) => new(DomainErrorCodes.InvalidTransition, message);
    internal static DomainException Locked(string message) => new(DomainErrorCodes.Locked, message);
    internal static DomainException TooLarge(string message) => new(DomainErrorCodes.TooLarge, message);
    internal static DomainException StaleRevision(string message) => new(DomainErrorCodes.StaleRevision, message);
    internal static DomainException Conflict(string message) => new(DomainErrorCodes.Conflict, message);
    internal static DomainException InvalidOp(string message) => new(DomainErrorCodes.InvalidOp, message);
    internal static DomainException IntegrityHold(string message) => new(DomainErrorCodes.IntegrityHold, message);
    internal static DomainException RevisionLost(string message) => new(DomainErrorCodes.RevisionLost, message);
}

/// <summary>Stable error codes. Clients match on these strings: add, never rename.</summary>
public static class DomainErrorCodes
{
    public const string NotFound = "not_found";
    public const string Forbidden = "forbidden";
    public const string InvalidOp = "invalid_op";
    public const string StaleRevision = "stale_revision";
    public const string TooLarge = "too_large";
    public const string Locked = "locked";
    public const string InvalidInput = "invalid_input";
    public const string InvalidTransition = "invalid_transition";
    public const string Conflict = "conflict";

    /// <summary>Circulating a text with open square brackets without the Chair's override (docs/drafting.md).</summary>
    public const string BracketsOpen = "brackets_open";

    /// <summary>A storage write failed; the request was not applied and may be retried.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>
    /// No answer in time (a call timeout, or the node sequencing the proposal went down mid-call): the
    /// change may or may not have been applied. Retry with the same op id, or reload and look.
    /// </summary>
    public const string OutcomeUnknown = "outcome_unknown";

    /// <summary>The proposal is on an integrity hold (its stored history failed a check): readable, not writable, until the secretariat acknowledges it.</summary>
    public const string IntegrityHold = "integrity_hold";

    /// <summary>
    /// The caller holds a revision that was acknowledged but that storage no longer has (ahead of it, or
    /// given to another edit since): storage lost acknowledged changes. Reload; the client's own copy has them.
    /// </summary>
    public const string RevisionLost = "revision_lost";
}
