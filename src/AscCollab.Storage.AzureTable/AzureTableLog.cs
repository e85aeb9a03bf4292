using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

internal static partial class AzureTableLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created Azure table {Table}")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Transient failure of {Operation} on table {Table} (attempt {Attempt}); retrying in {DelayMs:F0} ms: {Error}")]
    public static partial void RetryingTransientFailure(ILogger logger, string operation, string table, int attempt, double delayMs, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Write of {GrainId}/{StateName} rejected as inconsistent: {Reason}")]
    public static partial void WriteRejected(ILogger logger, AscCollab.Runtime.GrainId grainId, string stateName, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Write of {GrainId}/{StateName} refused by a storage limit: {Reason}")]
    public static partial void WriteRefused(ILogger logger, AscCollab.Runtime.GrainId grainId, string stateName, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Azure Table storage health check of {Table} failed: {Error}")]
    public static partial void ProbeFailed(ILogger logger, string table, string error);
}
