namespace AscCollab.Storage.AzureTable;

/// <summary>A storage request failed for good (a permanent error, or transient ones past the retry bound); the message says which request and why.</summary>
public sealed class AzureTableStorageException : Exception
{
    public AzureTableStorageException() { }
    public AzureTableStorageException(string message) : base(message) { }
    public AzureTableStorageException(string message, Exception inner) : base(message, inner) { }
}
