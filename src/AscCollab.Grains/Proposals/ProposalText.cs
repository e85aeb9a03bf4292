using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// A proposal state's text: the text itself, or the text it follows from and the edits to apply,
/// applied when first read. The edits of one group commit each make a state, but only the last
/// state's text is written (and read): the document is copied once per commit, not once per edit.
/// Reads may come from any thread (a state is immutable to its readers); the text is computed once.
/// </summary>
internal sealed class ProposalText
{
    /// <summary>
    /// Past this many components the pending edits are applied rather than composed further: composing
    /// costs in proportion to the pending op, applying in proportion to the text (with a 50,000-character
    /// text, one copy per ~30 keystrokes). With text rows the write no longer reads the text, so this is
    /// what bounds the pending edits between text rows.
    /// </summary>
    internal const int MaxPendingComponents = 64;

    public static readonly ProposalText Empty = new("");

    /// <summary>A state read from a row that keeps its text in a text row: the grain rebuilds it before use.</summary>
    public static readonly ProposalText NotLoaded = new(null!, null!);

    private readonly Lock _gate = new();
    private string? _value;
    private string? _basis;
    private TextOperation? _pending;

    private ProposalText(string value) => _value = value;

    private ProposalText(string basis, TextOperation pending) => (_basis, _pending) = (basis, pending);

    public static ProposalText Of(string value) => value.Length == 0 ? Empty : new(value);

    /// <summary>True until the text has been computed (diagnostics and tests).</summary>
    internal bool IsPending => Volatile.Read(ref _value) is null;

    public string Value => Volatile.Read(ref _value) ?? Compute();

    /// <summary>
    /// The text after <paramref name="op"/>, computed when first read. The caller has checked that
    /// the op fits: it reaches short of the text's end (<see cref="TextOperation.BaseLength"/> less
    /// than the text's length), so applying it later cannot fail.
    /// </summary>
    public ProposalText Then(TextOperation op)
    {
        if (op.IsNoop)
        {
            return this;
        }
        lock (_gate)
        {
            if (_value is null && _pending!.Components.Count + op.Components.Count <= MaxPendingComponents)
            {
                return new(_basis!, TextOperation.Compose(_pending, op));
            }
        }
        return new(Value, op);
    }

    private string Compute()
    {
        if (ReferenceEquals(this, NotLoaded))
        {
            throw new InvalidOperationException("This state was read from storage without its text (it is in its text row and the op log after it); rebuild it first.");
        }
        lock (_gate)
        {
            if (_value is null)
            {
                _value = _pending!.Apply(_basis!);
                (_basis, _pending) = (null, null);
            }
            return _value;
        }
    }
}
