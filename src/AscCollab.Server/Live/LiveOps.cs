using System.Text.Json;
using AscCollab.Grains;
using AscCollab.Text;

namespace AscCollab.Server;

/// <summary>Reads an operation from a hub argument: malformed is <c>invalid_op</c>, too many components <c>too_large</c>.</summary>
internal static class LiveOps
{
    public static TextOperation Read(JsonElement op, LimitsOptions limits)
    {
        if (op.ValueKind == JsonValueKind.Array && op.GetArrayLength() > limits.MaxOpComponents)
        {
            throw new DomainException(DomainErrorCodes.TooLarge, $"One operation may have at most {limits.MaxOpComponents} components.");
        }
        // Inserted length is left to the grain (too_large against MaxOpCodePoints); the message size bounds it here.
        var parsing = new TextLimits(limits.MaxOpComponents, int.MaxValue);
        return TextOperation.TryParse(op, parsing, out var parsed, out var error)
            ? parsed!
            : throw new DomainException(DomainErrorCodes.InvalidOp, error!);
    }
}
