using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// Checks the data annotations of request bodies (records of this assembly) before the handler
/// runs: a missing field is a 400 with the field named, not a null reaching a grain. The rules
/// that depend on configuration (lengths, quorum, deadlines) stay with the grains. Fields are
/// named as in JSON and messages say what is expected (<see cref="RequestFields"/>).
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
                var options = invocation.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                foreach (var index in bodies)
                {
                    if (invocation.Arguments[index] is { } body && Errors(body, options) is { Count: > 0 } errors)
                    {
                        return ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors,
                            detail: RequestFields.Detail(errors),
                            title: "The request is not valid.",
                            extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.InvalidInput }));
                    }
                }
                return next(invocation);
            };
        });

    private static Dictionary<string, string[]> Errors(object body, JsonSerializerOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in RequestFields.Fields(body.GetType(), options))
        {
            var value = field.Get?.Invoke(body);
            var attributes = field.AttributeProvider?.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>() ?? [];
            var messages = new List<string>();
            foreach (var attribute in attributes)
            {
                // Only Required speaks about a missing value; the others check values that are there.
                if ((value is null && attribute is not RequiredAttribute) || attribute.IsValid(value))
                {
                    continue;
                }
                messages.Add(attribute switch
                {
                    RequiredAttribute when value is string => $"{field.Name} must not be empty.",
                    RequiredAttribute => RequestFields.Required(field.Name, field.PropertyType, field.AttributeProvider),
                    // Range(0, long.MaxValue) means "0 or more"; its maximum is no number to show a delegate.
                    RangeAttribute range when Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture) >= int.MaxValue => $"{field.Name} must be {range.Minimum} or more.",
                    RangeAttribute range => $"{field.Name} must be between {range.Minimum} and {range.Maximum}.",
                    AllowedValuesAttribute => $"{field.Name} must be {RequestFields.Expects(field.PropertyType, field.AttributeProvider)}.",
                    _ => attribute.FormatErrorMessage(field.Name),
                });
            }
            if (messages.Count > 0)
            {
                errors[field.Name] = [.. messages];
            }
        }
        return errors;
    }
}
