using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>Counts the storage's "attempt failed transiently" log events (2002): one per attempt Azure.Core retried or gave up on.</summary>
internal sealed class RetryCounter : ILogger<AzureTableLogStorage>
{
    private int _failedAttempts;

    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == 2002)
        {
            Interlocked.Increment(ref _failedAttempts);
        }
    }
}
