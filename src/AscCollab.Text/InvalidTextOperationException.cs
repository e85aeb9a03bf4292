namespace AscCollab.Text;

/// <summary>An operation is malformed, above a limit, or does not fit the document. The message says why.</summary>
public sealed class InvalidTextOperationException : Exception
{
    public InvalidTextOperationException()
        : base("Invalid text operation.")
    {
    }

    public InvalidTextOperationException(string message)
        : base(message)
    {
    }

    public InvalidTextOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
