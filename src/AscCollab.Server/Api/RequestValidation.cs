using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace AscCollab.Server;

/// <summary>
/// Checks the data annotations of request bodies (records of this assembly) before the handler
/// runs: a missing field is a 400 with the field named, not a null reaching a grain. The rules
/// that depend on configuration (lengths, quorum, deadlines) stay with the grains.
/// </summary>
internal static class RequestValidation
{
    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var bodies = context.MethodInfo.GetParameters()
                .Select((parameter, index) => (parameter.ParameterType, index))
                .Where(p => p.ParameterType.Assembly == typeof(RequestValidation).Assembly && p.ParameterType.IsClass)
                .Select(p => p.index)
                .ToArray();
            if (bodies.Length == 0)
            {
                return next;
            }

            return invocation =>
            {
                foreach (var index in bodies)
                {
                    if (invocation.Arguments[index] is { } body && Errors(body) is { Count: > 0 } errors)
                    {
                        return ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors,
                            title: "The request is not valid.",
                            type: $"https://asccollab/errors/{ErrorCodes.InvalidInput}",
                            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.InvalidInput }));
                    }
                }
                return next(invocation);
            };
        });

    private static Dictionary<string, string[]>? Errors(object body)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(body, new ValidationContext(body), results, validateAllProperties: true))
        {
            return null;
        }
        return results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: JsonName(m), Message: r.ErrorMessage ?? "is not valid")))
            .GroupBy(e => e.Member, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
    }

    private static string JsonName(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
}
