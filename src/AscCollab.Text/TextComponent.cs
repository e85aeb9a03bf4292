namespace AscCollab.Text;

/// <summary>One component of a <see cref="TextOperation"/>. Components are valid by construction.</summary>
public abstract record TextComponent
{
    private protected TextComponent()
    {
    }

    /// <summary>Positions (code points, see <see cref="CodePoints"/>) this component covers.</summary>
    public abstract int Length { get; }
}

/// <summary>Keep <see cref="Count"/> positions of the document. JSON: a positive integer.</summary>
public sealed record Retain(int Count) : TextComponent
{
    public int Count { get; } = Count > 0
        ? Count
        : throw new InvalidTextOperationException($"A retain must be > 0 (got {Count}).");

    public override int Length => Count;
}

/// <summary>Insert <see cref="Text"/> at the current position. JSON: a non-empty string.</summary>
public sealed record Insert(string Text) : TextComponent
{
    public string Text { get; } = Text;

    /// <summary>Positions the inserted text occupies; counted once here because every transform needs it.</summary>
    public override int Length { get; } = CountInsert(Text);

    private static int CountInsert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new InvalidTextOperationException("An insert must not be empty.");
        }

        // ot-text-unicode's normalize throws on such text (unicount "splits unicode bytes").
        return CodePoints.TryCount(text, out var count)
            ? count
            : throw new InvalidTextOperationException("An insert must not end in a lone surrogate (its length in code points is undefined).");
    }
}

/// <summary>Delete <see cref="Count"/> positions at the current position. JSON: <c>{"d":n}</c>.</summary>
public sealed record Delete(int Count) : TextComponent
{
    public int Count { get; } = Count > 0
        ? Count
        : throw new InvalidTextOperationException($"A delete must be > 0 (got {Count}).");

    public override int Length => Count;
}
