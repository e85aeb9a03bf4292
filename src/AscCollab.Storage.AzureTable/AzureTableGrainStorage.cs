using System.Net;
using AscCollab.Runtime;
using Microsoft.Azure.Cosmos.Table;
using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Grain state and its append-only logs in one Azure table, one partition per grain
/// (<c>type|key</c>): the state row <c>state|{stateName}</c> and log rows
/// <c>{stream}|{sequence:D9}</c>. A write replaces the state under its ETag and inserts the
/// log rows in one entity-group transaction, so either all of it is stored or none.
/// Layout and limits: docs/storage.md.
/// </summary>
public sealed class AzureTableGrainStorage : IGrainStorage
{
    private readonly TableConnection _connection;
    private readonly ILogger _logger;

    internal AzureTableGrainStorage(AzureTableStorageOptions options, ILogger<AzureTableGrainStorage> logger)
    {
        _logger = logger;
        _connection = new TableConnection(options, options.GrainsTableName, logger);
    }

    internal TableConnection Connection => _connection;

    public async Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var partitionKey = TableKeys.PartitionKey(grainId);
        var rowKey = TableKeys.StateRowKey(stateName);
        var result = await RunAsync(
            (table, options, token) => table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(partitionKey, rowKey), options, null, token),
            "read state", grainId, stateName, cancellationToken);

        return result.Result is DynamicTableEntity entity ? new StoredState(ChunkedJson.Read(entity), entity.ETag) : null;
    }

    public async Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(appends);
        var partitionKey = TableKeys.PartitionKey(grainId);
        var state = new DynamicTableEntity(partitionKey, TableKeys.StateRowKey(stateName)) { ETag = expectedETag ?? "*" };
        ChunkedJson.Write(state, json);

        try
        {
            var batch = BuildBatch(grainId, stateName, state, expectedETag, appends);
            if (batch.Count == 1)
            {
                var single = await RunAsync((table, options, token) => table.ExecuteAsync(batch[0], options, null, token), "write state", grainId, stateName, cancellationToken);
                return single.Etag;
            }

            var results = await RunAsync((table, options, token) => table.ExecuteBatchAsync(batch, options, null, token), "write state and log", grainId, stateName, cancellationToken);
            return results[0].Etag;
        }
        catch (StorageLimitException ex)
        {
            AzureTableLog.WriteRefused(_logger, grainId, stateName, ex.Message);
            throw;
        }
    }

    public async Task ClearStateAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
    {
        if (expectedETag is null)
        {
            // "Nothing stored" is the caller's belief; clearing is then a no-op unless a row appeared meanwhile.
            if (await ReadStateAsync(grainId, stateName, cancellationToken) is not null)
            {
                throw Inconsistent(grainId, stateName, "a state row exists, but the caller expected none");
            }

            return;
        }

        var entity = new DynamicTableEntity(TableKeys.PartitionKey(grainId), TableKeys.StateRowKey(stateName)) { ETag = expectedETag };
        await RunAsync((table, options, token) => table.ExecuteAsync(TableOperation.Delete(entity), options, null, token), "clear state", grainId, stateName, cancellationToken);
    }

    public async Task<IReadOnlyList<LogEntry>> ReadLogAsync(GrainId grainId, string stream, long fromSequence, long toSequence, CancellationToken cancellationToken)
    {
        TableKeys.CheckStream(stream);
        fromSequence = Math.Max(fromSequence, 0);
        toSequence = Math.Min(toSequence, TableKeys.MaxSequence);
        if (fromSequence > toSequence)
        {
            return [];
        }

        var partitionKey = TableKeys.PartitionKey(grainId);
        var filter = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey),
            TableOperators.And,
            TableQuery.CombineFilters(
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, TableKeys.LogRowKey(stream, fromSequence)),
                TableOperators.And,
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThanOrEqual, TableKeys.LogRowKey(stream, toSequence))));
        var query = new TableQuery<DynamicTableEntity>().Where(filter);

        var entries = new List<LogEntry>();
        TableContinuationToken? continuation = null;
        do
        {
            var current = continuation;
            var segment = await RunAsync((table, options, token) => table.ExecuteQuerySegmentedAsync(query, current, options, null, token), "read log", grainId, stream, cancellationToken);
            foreach (var row in segment.Results)
            {
                entries.Add(new LogEntry(stream, SequenceOf(row.RowKey), ChunkedJson.Read(row)));
            }

            continuation = segment.ContinuationToken;
        }
        while (continuation is not null);

        return entries;
    }

    private static TableBatchOperation BuildBatch(GrainId grainId, string stateName, DynamicTableEntity state, string? expectedETag, IReadOnlyList<LogEntry> appends)
    {
        var what = $"The state '{stateName}' of {grainId}";
        TableLimits.CheckEntity(state, what);
        if (appends.Count + 1 > TableLimits.MaxBatchOperations)
        {
            throw new StorageLimitException(
                $"{what} with {appends.Count} log rows needs {appends.Count + 1} operations in one transaction; Azure Table storage allows {TableLimits.MaxBatchOperations}. Nothing was written.");
        }

        var batch = new TableBatchOperation { expectedETag is null ? TableOperation.Insert(state) : TableOperation.Replace(state) };
        var payload = TableLimits.BatchPayloadEstimate(state, state.Properties);
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var append in appends)
        {
            var row = new DynamicTableEntity(state.PartitionKey, TableKeys.LogRowKey(append.Stream, append.Sequence));
            if (!rowKeys.Add(row.RowKey))
            {
                throw new ArgumentException($"The log entry {append.Stream} #{append.Sequence} appears twice in one write.", nameof(appends));
            }

            ChunkedJson.Write(row, append.Json);
            TableLimits.CheckEntity(row, $"The log entry {append.Stream} #{append.Sequence} of {grainId}");
            payload += TableLimits.BatchPayloadEstimate(row, row.Properties);
            batch.Insert(row);
        }

        if (payload > TableLimits.MaxBatchPayloadBytes)
        {
            throw new StorageLimitException(
                $"{what} with {appends.Count} log rows makes a transaction of about {payload:N0} bytes; Azure Table storage allows {TableLimits.MaxBatchPayloadBytes:N0} (4 MiB). Nothing was written.");
        }

        return batch;
    }

    private async Task<T> RunAsync<T>(Func<CloudTable, TableRequestOptions, CancellationToken, Task<T>> operation, string description, GrainId grainId, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.ExecuteAsync(operation, description, cancellationToken);
        }
        catch (StorageException ex) when (ex.RequestInformation?.HttpStatusCode is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
        {
            var reason = ex.RequestInformation.HttpStatusCode switch
            {
                (int)HttpStatusCode.PreconditionFailed => "the stored ETag no longer matches (another writer got there first)",
                (int)HttpStatusCode.Conflict => "a row being inserted already exists (the state, or a log row of this batch)",
                _ => "the stored row no longer exists",
            };
            AzureTableLog.WriteRejected(_logger, grainId, name, reason);
            throw Inconsistent(grainId, name, reason, ex);
        }
        catch (StorageException ex)
        {
            throw new AzureTableStorageException($"Azure Table storage: {description} of {grainId} / '{name}' in table '{_connection.TableName}' failed: {TableConnection.Describe(ex)}", ex);
        }
    }

    private static InconsistentStateException Inconsistent(GrainId grainId, string name, string reason, Exception? inner = null)
    {
        var message = $"Storage of {grainId} / '{name}' rejected the write: {reason}. Nothing of this write was stored; reload and retry.";
        return inner is null ? new InconsistentStateException(message) : new InconsistentStateException(message, inner);
    }

    private static long SequenceOf(string rowKey) =>
        long.Parse(rowKey.AsSpan(rowKey.LastIndexOf('|') + 1), System.Globalization.CultureInfo.InvariantCulture);
}
