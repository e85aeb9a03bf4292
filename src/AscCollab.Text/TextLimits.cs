namespace AscCollab.Text;

/// <summary>Size limits applied when an operation is read from JSON. Passed in, never global.</summary>
/// <param name="MaxComponents">Most array elements an operation may have (before normalisation).</param>
/// <param name="MaxInsertLength">Most code points an operation may insert in total.</param>
public sealed record TextLimits(int MaxComponents, int MaxInsertLength)
{
    public static TextLimits Default { get; } = new(10_000, 65_536);

    public int MaxComponents { get; } = MaxComponents > 0
        ? MaxComponents
        : throw new ArgumentOutOfRangeException(nameof(MaxComponents), MaxComponents, "Must be > 0.");

    public int MaxInsertLength { get; } = MaxInsertLength > 0
        ? MaxInsertLength
        : throw new ArgumentOutOfRangeException(nameof(MaxInsertLength), MaxInsertLength, "Must be > 0.");
}
