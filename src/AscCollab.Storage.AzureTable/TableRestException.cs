namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Azure answered a request of the REST writer with an error: the HTTP status (of the failing
/// operation's part, for a batch), Azure's error code, and which operation failed. Classified by
/// <see cref="TableConnection.IsTransient"/>, mapped to our exceptions by the grain storage.
/// </summary>
internal sealed class TableRestException : Exception
{
    public TableRestException() { }

    public TableRestException(string message) : base(message) { }

    public TableRestException(string message, Exception inner) : base(message, inner) { }

    public TableRestException(int status, string? errorCode, string message) : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status; for an entity-group transaction, that of the failing operation.</summary>
    public int Status { get; }

    /// <summary>Azure's error code (<c>UpdateConditionNotSatisfied</c>, <c>EntityAlreadyExists</c>, …), when it sent one.</summary>
    public string? ErrorCode { get; }
}
