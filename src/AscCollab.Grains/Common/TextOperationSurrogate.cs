using AscCollab.Text;
using Orleans;
using Orleans.Serialization.Cloning;

namespace AscCollab.Grains;

// TextOperation lives in AscCollab.Text, which does not depend on Orleans, so it cannot carry
// [GenerateSerializer]: Orleans serializes it through this surrogate and copies it with the copier below.

/// <summary>
/// The wire form of a <see cref="TextOperation"/>: its npm JSON array (<see cref="TextOperation.ToJson"/>).
/// JSON rather than raw component strings on purpose: Orleans writes strings as UTF-8, which would
/// replace a lone surrogate inside an insert with U+FFFD, while the JSON form escapes lone
/// surrogates as <c>\uXXXX</c> (ASCII) and so carries every valid operation exactly.
/// </summary>
[GenerateSerializer, Immutable, Alias("AscCollab.TextOperationSurrogate")]
public readonly record struct TextOperationSurrogate([property: Id(0)] string Json);

/// <summary>Converts <see cref="TextOperation"/> to and from <see cref="TextOperationSurrogate"/>.</summary>
[RegisterConverter]
public sealed class TextOperationSurrogateConverter : IConverter<TextOperation, TextOperationSurrogate>
{
    /// <summary>
    /// The operation was validated (with the configured limits) where it entered the system; reading
    /// it back must never refuse it, so the transport applies no limits of its own (the defaults of
    /// <see cref="TextLimits.Default"/> are not the configured ones and could be lower).
    /// </summary>
    private static readonly TextLimits Unlimited = new(int.MaxValue, int.MaxValue);

    public TextOperation ConvertFromSurrogate(in TextOperationSurrogate surrogate) =>
        TextOperation.Parse(surrogate.Json, Unlimited);

    public TextOperationSurrogate ConvertToSurrogate(in TextOperation value) => new(value.ToJson());
}

/// <summary>
/// <see cref="TextOperation"/> is immutable (its components are a private array exposed read-only),
/// so a copy is the operation itself. Without this copier Orleans would copy it through the
/// surrogate (JSON out and back) on every in-silo call.
/// </summary>
[RegisterCopier]
public sealed class TextOperationCopier : IDeepCopier<TextOperation>
{
    public TextOperation? DeepCopy(TextOperation? input, CopyContext context) => input;
}
