using System.Buffers;
using System.Text;
using System.Text.Json.Serialization;

namespace AscCollab.Text;

/// <summary>
/// An immutable, normalised plain-text operation, operation-compatible with npm
/// <c>ot-text-unicode</c> 4.x: same JSON, same positions (see <see cref="CodePoints"/>), same
/// transform, compose and cursor results. docs/text-operations.md lists where it is stricter.
/// </summary>
[JsonConverter(typeof(TextOperationJsonConverter))]
public sealed partial class TextOperation : IEquatable<TextOperation>
{
    private readonly TextComponent[] components;
    private IReadOnlyList<TextComponent>? readOnlyComponents;

    private TextOperation(TextComponent[] components)
    {
        this.components = components;
        foreach (var c in components)
        {
            switch (c)
            {
                case Insert i: InsertedLength += i.Length; break;
                case Delete d: DeletedLength += d.Count; BaseLength += d.Count; break;
                case Retain r: BaseLength += r.Count; break;
            }
        }
    }

    public static TextOperation Empty { get; } = new([]);

    /// <summary>The normalised components; a read-only view, so the operation stays immutable.</summary>
    public IReadOnlyList<TextComponent> Components => readOnlyComponents ??= Array.AsReadOnly(components);

    /// <summary>Code points this operation inserts.</summary>
    public int InsertedLength { get; }

    /// <summary>Code points this operation deletes.</summary>
    public int DeletedLength { get; }

    /// <summary>
    /// Code points of the document this operation reaches (its retains and deletes): it fits a
    /// document of at least this many positions, short of a truncated final step (see <see cref="CodePoints"/>).
    /// </summary>
    public int BaseLength { get; }

    public bool IsNoop => components.Length == 0;

    /// <summary>Like the package's <c>insert(pos, text)</c>; empty text gives the no-op.</summary>
    public static TextOperation Insert(int position, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ThrowIfNegative(position, "position");
        if (text.Length == 0)
        {
            return Empty;
        }

        var insert = new Insert(text);
        return new(position == 0 ? [insert] : [new Retain(position), insert]);
    }

    /// <summary>Like the package's <c>remove(pos, count)</c>; a zero count gives the no-op.</summary>
    public static TextOperation Delete(int position, int count)
    {
        ThrowIfNegative(position, "position");
        ThrowIfNegative(count, "count");
        if (count == 0)
        {
            return Empty;
        }

        var delete = new Delete(count);
        return new(position == 0 ? [delete] : [new Retain(position), delete]);
    }

    /// <summary>Normalises arbitrary valid components as the package's <c>normalize</c> does (merge, drop a trailing retain).</summary>
    public static TextOperation FromComponents(IEnumerable<TextComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var output = new ComponentAppender(components.TryGetNonEnumeratedCount(out var n) ? n : 4);
        foreach (var c in components)
        {
            output.Append(c ?? throw new InvalidTextOperationException("A component must not be null."));
        }

        return output.ToOperation();
    }

    internal static TextOperation FromNormalized(TextComponent[] components) =>
        components.Length == 0 ? Empty : new(components);

    /// <summary>Applies the operation; throws if it reaches past the end of <paramref name="document"/>.</summary>
    public string Apply(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (components.Length == 0)
        {
            return document;
        }

        // One pass finds where each component ends in the document (UTF-16) and checks the op
        // fits; then the result is written once at its exact length. Keystroke ops on long
        // documents make this copy the main cost, so it is done once, without a builder.
        var ends = ArrayPool<int>.Shared.Rent(components.Length);
        try
        {
            var pos = 0;
            var position = 0;
            var length = document.Length;
            for (var i = 0; i < components.Length; i++)
            {
                switch (components[i])
                {
                    case Retain r:
                        var end = CodePoints.Advance(document, pos, r.Count);
                        pos = end <= document.Length ? end : throw DoesNotFit(document, position + r.Count, "retains");
                        position += r.Count;
                        break;
                    case Insert ins:
                        length += ins.Text.Length;
                        break;
                    case Delete d:
                        var deleteEnd = DeleteEnd(document, pos, position, d.Count);
                        length -= deleteEnd - pos;
                        pos = deleteEnd;
                        position += d.Count;
                        break;
                }

                ends[i] = pos;
            }

            return string.Create(length, (document, components, ends), static (output, state) =>
            {
                var (document, components, ends) = state;
                var pos = 0;
                for (var i = 0; i < components.Length; i++)
                {
                    if (components[i] is Insert ins)
                    {
                        ins.Text.CopyTo(output);
                        output = output[ins.Text.Length..];
                    }
                    else if (components[i] is Retain)
                    {
                        document.AsSpan(pos, ends[i] - pos).CopyTo(output);
                        output = output[(ends[i] - pos)..];
                    }

                    pos = ends[i];
                }

                document.AsSpan(pos).CopyTo(output);
            });
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ends);
        }
    }

    /// <summary>
    /// The operation that undoes this one, given the document it was applied to (the package's
    /// <c>invertWithDoc</c>, with deleted text counted rather than kept).
    /// </summary>
    public TextOperation Invert(string documentBefore)
    {
        ArgumentNullException.ThrowIfNull(documentBefore);
        var output = new ComponentAppender(components.Length);
        var pos = 0;
        var position = 0;
        foreach (var c in components)
        {
            switch (c)
            {
                case Retain r:
                    var end = CodePoints.Advance(documentBefore, pos, r.Count);
                    if (end > documentBefore.Length)
                    {
                        throw DoesNotFit(documentBefore, position + r.Count, "retains");
                    }

                    output.Append(r);
                    pos = end;
                    break;
                case Insert i:
                    output.Append(new Delete(i.Length));
                    break;
                case Delete d:
                    var deleteEnd = DeleteEnd(documentBefore, pos, position, d.Count);
                    var deleted = documentBefore[pos..deleteEnd];
                    if (!CodePoints.TryCount(deleted, out _))
                    {
                        throw new InvalidTextOperationException("Cannot invert: the deleted text ends in a lone surrogate, which cannot be inserted back.");
                    }

                    output.Append(new Insert(deleted));
                    pos = deleteEnd;
                    break;
            }

            position += c is Insert ? 0 : c.Length;
        }

        return output.ToOperation();
    }

    public string ToJson()
    {
        var output = new StringBuilder(2 + (components.Length * 8));
        output.Append('[');
        for (var i = 0; i < components.Length; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            switch (components[i])
            {
                case Retain r: output.Append(r.Count); break;
                case Insert ins: JavaScriptJson.WriteString(output, ins.Text); break;
                case Delete d: output.Append("{\"d\":").Append(d.Count).Append('}'); break;
            }
        }

        return output.Append(']').ToString();
    }

    public override string ToString() => ToJson();

    public bool Equals(TextOperation? other) =>
        other is not null && components.AsSpan().SequenceEqual(other.components);

    public override bool Equals(object? obj) => Equals(obj as TextOperation);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in components)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(TextOperation? left, TextOperation? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(TextOperation? left, TextOperation? right) => !(left == right);

    /// <summary>
    /// End of a delete in UTF-16. A delete may cover a truncated final surrogate step (the
    /// package allows it); past that it is out of range. The package would silently clamp such
    /// a delete; we refuse it because it means the client's document differs from ours.
    /// </summary>
    private static int DeleteEnd(string document, int pos, int position, int count)
    {
        var end = CodePoints.Advance(document, pos, count);
        if (end == document.Length + 1 && document.Length > 0 && char.IsSurrogate(document[^1]) && CodePoints.Advance(document, pos, count - 1) == document.Length - 1)
        {
            return document.Length;
        }

        return end > document.Length ? throw DoesNotFit(document, position + count, "deletes") : end;
    }

    private static InvalidTextOperationException DoesNotFit(string document, int reach, string verb) =>
        new($"The operation {verb} up to code point {reach} but the document has {CodePoints.Length(document)}.");

    private static void ThrowIfNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new InvalidTextOperationException($"The {name} must not be negative (got {value}).");
        }
    }
}
