using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AscCollab.Server;

/// <summary>Problem Details results that endpoints return themselves (the handlers cover thrown errors).</summary>
internal static class Problems
{
    public static ProblemHttpResult InvalidInput(string detail) =>
        Of(StatusCodes.Status400BadRequest, ErrorCodes.InvalidInput, "The request is not valid.", detail);

    public static ProblemHttpResult NotFound(string detail) =>
        Of(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Not found.", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Of(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Forbidden.", detail);

    public static ProblemHttpResult Of(int status, string code, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>The status of a domain error code; see docs/api.md.</summary>
    public static int StatusOf(string code) => code switch
    {
        DomainErrorCodes.NotFound => StatusCodes.Status404NotFound,
        DomainErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        DomainErrorCodes.InvalidInput or DomainErrorCodes.InvalidOp => StatusCodes.Status400BadRequest,
        DomainErrorCodes.StaleRevision or DomainErrorCodes.Conflict or DomainErrorCodes.InvalidTransition or DomainErrorCodes.Locked
            or DomainErrorCodes.IntegrityHold or DomainErrorCodes.BracketsOpen => StatusCodes.Status409Conflict,
        DomainErrorCodes.RevisionLost => StatusCodes.Status409Conflict,
        DomainErrorCodes.TooLarge => StatusCodes.Status413PayloadTooLarge,
        DomainErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => code.StartsWith("invalid_", StringComparison.Ordinal) ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError,
    };

    public static string TitleOf(string code) => code switch
    {
        DomainErrorCodes.NotFound => "Not found.",
        DomainErrorCodes.Forbidden => "Forbidden.",
        DomainErrorCodes.InvalidInput => "The request is not valid.",
        DomainErrorCodes.InvalidOp => "The operation is not valid.",
        DomainErrorCodes.InvalidTransition => "The proposal is not in a state that allows this.",
        DomainErrorCodes.StaleRevision => "The revision is stale.",
        DomainErrorCodes.Conflict => "Conflict.",
        DomainErrorCodes.Locked => "The text is locked.",
        DomainErrorCodes.BracketsOpen => "The text has open square brackets.",
        DomainErrorCodes.IntegrityHold => "The proposal is on an integrity hold.",
        DomainErrorCodes.TooLarge => "Too large.",
        DomainErrorCodes.Unavailable => "Temporarily unavailable; try again.",
        DomainErrorCodes.RevisionLost => "Storage lost acknowledged changes.",
        _ => "The request failed.",
    };
}
