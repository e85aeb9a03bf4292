using AscCollab.Grains;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// What the framework refuses before a handler runs: JSON that does not fit the body (wrong type,
/// unknown field, enum as a number), no body, a query value that cannot be read, a non-JSON
/// content type, an oversize body. The framework's messages name .NET types and parameters; the
/// client gets the field and what it expects instead (<see cref="RequestFields"/>), in <c>errors</c>.
/// </summary>
internal sealed partial class BadRequestHandler(IOptions<JsonOptions> json) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return ValueTask.FromResult(false);
        }

        switch (bad.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return ProblemSetup.WriteProblemAsync(httpContext, bad.StatusCode, ErrorCodes.TooLarge, "The request body is too large.", bad.Message, exception);
            case StatusCodes.Status415UnsupportedMediaType:
                return ProblemSetup.WriteProblemAsync(httpContext, bad.StatusCode, ErrorCodes.UnsupportedMediaType, "The request body must be JSON.",
                    "Send the body as application/json.", exception);
        }

        // The exception handler has cleared the endpoint from the context; the feature kept it.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var errors = ErrorsOf(bad, endpoint, httpContext.Request.ContentLength);
        return ProblemSetup.WriteProblemAsync(httpContext, StatusCodes.Status400BadRequest, ErrorCodes.InvalidInput, "The request is not valid.",
            errors is null ? "The request could not be read." : RequestFields.Detail(errors), exception, errors);
    }

    private Dictionary<string, string[]>? ErrorsOf(BadHttpRequestException bad, Endpoint? endpoint, long? contentLength)
    {
        var options = json.Value.SerializerOptions;
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (bodyType is not null && contentLength == 0)
        {
            return RequestFields.MissingBody(bodyType, options);
        }
        if (bad.InnerException is JsonException jsonError && bodyType is not null)
        {
            return RequestFields.ErrorsOf(jsonError, bodyType, options);
        }

        if (FailedBinding().Match(bad.Message) is { Success: true } binding)
        {
            // A route or query value (a body never fails this way): name it and say what it takes.
            var name = binding.Groups["name"].Value;
            var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name);
            var value = binding.Groups["value"].Value;
            var shown = Echo.Of(value);
            return parameter is null
                ? null
                : RequestFields.One(name, $"{name} must be {RequestFields.Expects(parameter.ParameterType)}; \"{shown}\" is not.");
        }

        // Left, on a route with a body: the body is missing (no content, or the JSON literal null).
        return bodyType is null ? null : RequestFields.MissingBody(bodyType, options);
    }

    [GeneratedRegex("^Failed to bind parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex FailedBinding();
}
