namespace AscCollab.Text;

/// <summary>
/// Builds a normalised component list the way ot-text-unicode's <c>makeAppend</c> + <c>trim</c>
/// do: adjacent components of one kind merge, and one trailing retain is dropped at the end.
/// </summary>
internal sealed class ComponentAppender(int capacity)
{
    private readonly List<TextComponent> components = new(capacity);

    public void Append(TextComponent component)
    {
        if (components.Count == 0)
        {
            components.Add(component);
            return;
        }

        var last = components[^1];
        TextComponent? merged = (last, component) switch
        {
            (Retain a, Retain b) => new Retain(checked(a.Count + b.Count)),
            (Delete a, Delete b) => new Delete(checked(a.Count + b.Count)),
            (Insert a, Insert b) => new Insert(a.Text + b.Text),
            _ => null,
        };
        if (merged is null)
        {
            components.Add(component);
        }
        else
        {
            components[^1] = merged;
        }
    }

    public void AppendRetain(int count)
    {
        if (components.Count > 0 && components[^1] is Retain last)
        {
            components[^1] = new Retain(checked(last.Count + count));
        }
        else
        {
            components.Add(new Retain(count));
        }
    }

    public TextOperation ToOperation()
    {
        if (components.Count > 0 && components[^1] is Retain)
        {
            components.RemoveAt(components.Count - 1);
        }

        return TextOperation.FromNormalized([.. components]);
    }
}
