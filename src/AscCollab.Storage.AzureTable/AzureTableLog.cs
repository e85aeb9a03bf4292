using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AscCollab.Storage.AzureTable;

internal static partial class AzureTableLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created Azure table {Table}")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Attempt {Attempt} of {MaxAttempts} of {Method} {Path} on table {Table} failed transiently: {Error}")]
    public static partial void AttemptFailed(ILogger logger, int attempt, int maxAttempts, string method, string path, string table, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Write of {GrainId}/{StateName} rejected as inconsistent: {Reason}")]
    public static partial void WriteRejected(ILogger logger, GrainId grainId, string stateName, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Write of {GrainId}/{StateName} refused by a storage limit: {Reason}")]
    public static partial void WriteRefused(ILogger logger, GrainId grainId, string stateName, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Azure Table storage health check of {Table} failed: {Error}")]
    public static partial void ProbeFailed(ILogger logger, string table, string error);
}
