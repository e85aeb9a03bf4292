namespace AscCollab.Text;

/// <summary>
/// Reads an operation piece by piece for transform and compose, mirroring ot-text-unicode's
/// <c>makeTake</c>: past the end the operation retains forever.
/// </summary>
internal struct ComponentReader(TextComponent[] components)
{
    private int index;

    // Positions already taken from components[index]; for inserts also the UTF-16 offset.
    private int taken;
    private int takenUtf16;

    public readonly TextComponent? Peek() => index < components.Length ? components[index] : null;

    /// <summary>The rest of the current component, or null at the end (JS <c>take(-1)</c>).</summary>
    public TextComponent? TakeRest()
    {
        if (index == components.Length)
        {
            return null;
        }

        var c = components[index];
        var rest = taken == 0 ? c : c switch
        {
            Retain r => new Retain(r.Count - taken),
            Delete d => new Delete(d.Count - taken),
            Insert i => new Insert(i.Text[takenUtf16..]),
            _ => throw new InvalidOperationException("Unknown component."),
        };
        Next();
        return rest;
    }

    /// <summary>
    /// Up to <paramref name="length"/> positions (JS <c>take(n, field)</c>); inserts are kept
    /// whole when <paramref name="splitInserts"/> is false, deletes when <paramref name="splitDeletes"/> is false.
    /// </summary>
    public TextComponent Take(int length, bool splitInserts, bool splitDeletes)
    {
        if (index == components.Length)
        {
            return new Retain(length);
        }

        var c = components[index];
        var remaining = c.Length - taken;
        var whole = remaining <= length || (c is Insert ? !splitInserts : c is Delete && !splitDeletes);
        if (whole)
        {
            return TakeRest()!;
        }

        TextComponent part;
        if (c is Insert insert)
        {
            var end = CodePoints.Advance(insert.Text, takenUtf16, length);
            part = new Insert(insert.Text[takenUtf16..end]);
            takenUtf16 = end;
        }
        else
        {
            part = c is Retain ? new Retain(length) : new Delete(length);
        }

        taken += length;
        return part;
    }

    private void Next()
    {
        index++;
        taken = 0;
        takenUtf16 = 0;
    }
}
