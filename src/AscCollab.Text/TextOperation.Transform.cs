using DeleteComponent = AscCollab.Text.Delete;
using InsertComponent = AscCollab.Text.Insert;

namespace AscCollab.Text;

// Transform, compose and cursor transform, step for step as ot-text-unicode 4.0.0 (dist/type.js)
// does them, so results match it exactly (the differential tests compare them).
public sealed partial class TextOperation
{
    /// <summary>
    /// <paramref name="op"/> rewritten to apply after <paramref name="other"/>. When both insert at
    /// one position, the <see cref="TransformSide.Left"/> insert ends up first.
    /// </summary>
    public static TextOperation Transform(TextOperation op, TextOperation other, TransformSide side)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(other);
        if (side is not (TransformSide.Left or TransformSide.Right))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "Must be Left or Right.");
        }

        var output = new ComponentAppender(op.components.Length + other.components.Length);
        var reader = new ComponentReader(op.components);
        foreach (var c2 in other.components)
        {
            switch (c2)
            {
                case Retain r:
                    for (var length = r.Count; length > 0;)
                    {
                        var c1 = reader.Take(length, splitInserts: false, splitDeletes: true);
                        output.Append(c1);
                        if (c1 is not InsertComponent)
                        {
                            length -= c1.Length;
                        }
                    }

                    break;
                case Insert i:
                    if (side == TransformSide.Left && reader.Peek() is Insert)
                    {
                        output.Append(reader.TakeRest()!);
                    }

                    output.AppendRetain(i.Length);
                    break;
                case Delete d:
                    for (var length = d.Count; length > 0;)
                    {
                        var c1 = reader.Take(length, splitInserts: false, splitDeletes: true);
                        if (c1 is Insert)
                        {
                            output.Append(c1);
                        }
                        else
                        {
                            // Retained text is gone; deleted text was deleted by both.
                            length -= c1.Length;
                        }
                    }

                    break;
            }
        }

        while (reader.TakeRest() is { } rest)
        {
            output.Append(rest);
        }

        return output.ToOperation();
    }

    /// <summary>One operation with the effect of <paramref name="first"/> then <paramref name="second"/>.</summary>
    public static TextOperation Compose(TextOperation first, TextOperation second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var output = new ComponentAppender(first.components.Length + second.components.Length);
        var reader = new ComponentReader(first.components);
        foreach (var c2 in second.components)
        {
            switch (c2)
            {
                case Retain r:
                    for (var length = r.Count; length > 0;)
                    {
                        var chunk = reader.Take(length, splitInserts: true, splitDeletes: false);
                        output.Append(chunk);
                        if (chunk is not DeleteComponent)
                        {
                            length -= chunk.Length;
                        }
                    }

                    break;
                case InsertComponent:
                    output.Append(c2);
                    break;
                case Delete d:
                    for (var offset = 0; offset < d.Count;)
                    {
                        var chunk = reader.Take(d.Count - offset, splitInserts: true, splitDeletes: false);
                        switch (chunk)
                        {
                            case Retain kept:
                                output.Append(new Delete(kept.Count));
                                offset += kept.Count;
                                break;
                            case Insert inserted:
                                // Inserted by first, deleted by second: neither survives.
                                offset += inserted.Length;
                                break;
                            default:
                                output.Append(chunk);
                                break;
                        }
                    }

                    break;
            }
        }

        while (reader.TakeRest() is { } rest)
        {
            output.Append(rest);
        }

        return output.ToOperation();
    }

    /// <summary>
    /// Where a cursor at <paramref name="position"/> (code points) ends up after <paramref name="op"/>.
    /// An insert exactly at the cursor stays after it (the cursor does not move), as in the package.
    /// </summary>
    public static int TransformPosition(int position, TextOperation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var cursor = position;
        var pos = 0;
        for (var i = 0; i < op.components.Length && cursor > pos; i++)
        {
            switch (op.components[i])
            {
                case Retain r:
                    pos += r.Count;
                    break;
                case Insert ins:
                    pos += ins.Length;
                    cursor += ins.Length;
                    break;
                case Delete d:
                    cursor -= Math.Min(d.Count, cursor - pos);
                    break;
            }
        }

        return cursor;
    }
}
