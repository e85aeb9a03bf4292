using System.Net;
using System.Text;
using AscCollab.Runtime;
using Microsoft.Azure.Cosmos.Table;
using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Grain state and its append-only logs in one Azure table, one partition per grain
/// (<c>type|key</c>): the state row <c>state|{stateName}</c> and log rows
/// <c>{stream}|{sequence:D9}</c>. A write replaces the state under its ETag and inserts the
/// log rows in one entity-group transaction, so either all of it is stored or none.
/// Writes go through <see cref="TableRestWriter"/> (hand-built REST requests, for CPU); reads,
/// queries and deletes through the SDK. Layout, limits and the write path: docs/storage.md.
/// </summary>
public sealed class AzureTableGrainStorage : IGrainStorage
{
    private readonly TableConnection _connection;
    private readonly TableRestWriter _writer;
    private readonly ILogger _logger;

    internal AzureTableGrainStorage(AzureTableStorageOptions options, ILogger<AzureTableGrainStorage> logger)
    {
        _logger = logger;
        _connection = new TableConnection(options, options.GrainsTableName, logger);
        _writer = new TableRestWriter(options.ConnectionString!, options.GrainsTableName);
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
        var state = new TableRow(TableKeys.StateRowKey(stateName), json, Encoding.UTF8.GetByteCount(json));

        TableRow[] rows;
        try
        {
            rows = CheckedRows(grainId, stateName, partitionKey, state, appends);
        }
        catch (StorageLimitException ex)
        {
            AzureTableLog.WriteRefused(_logger, grainId, stateName, ex.Message);
            throw;
        }

        // Built once; each retry sends the same body with a fresh date and signature.
        using var request = _writer.Prepare(partitionKey, rows, expectedETag);
        var description = rows.Length == 1 ? "write state" : "write state and log";
        return await MapFailuresAsync(_connection.ExecuteAsync(token => _writer.SendAsync(request, token), description, cancellationToken), description, grainId, stateName);
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

    /// <summary>The state row and one row per log entry, every Azure limit checked: nothing is sent when one is exceeded.</summary>
    private static TableRow[] CheckedRows(GrainId grainId, string stateName, string partitionKey, TableRow state, IReadOnlyList<LogEntry> appends)
    {
        var what = $"The state '{stateName}' of {grainId}";
        TableLimits.CheckRow(partitionKey, state, what);
        if (appends.Count + 1 > TableLimits.MaxBatchOperations)
        {
            throw new StorageLimitException(
                $"{what} with {appends.Count} log rows needs {appends.Count + 1} operations in one transaction; Azure Table storage allows {TableLimits.MaxBatchOperations}. Nothing was written.");
        }

        var rows = new TableRow[appends.Count + 1];
        rows[0] = state;
        var payload = TableLimits.BatchPayloadEstimate(partitionKey, state);
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            var rowKey = TableKeys.LogRowKey(append.Stream, append.Sequence);
            for (var earlier = 1; earlier <= i; earlier++)
            {
                if (string.Equals(rows[earlier].RowKey, rowKey, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The log entry {append.Stream} #{append.Sequence} appears twice in one write.", nameof(appends));
                }
            }

            ArgumentNullException.ThrowIfNull(append.Json);
            var row = new TableRow(rowKey, append.Json, Encoding.UTF8.GetByteCount(append.Json));
            TableLimits.CheckRow(partitionKey, row, $"The log entry {append.Stream} #{append.Sequence} of {grainId}");
            payload += TableLimits.BatchPayloadEstimate(partitionKey, row);
            rows[i + 1] = row;
        }

        if (payload > TableLimits.MaxBatchPayloadBytes)
        {
            throw new StorageLimitException(
                $"{what} with {appends.Count} log rows makes a transaction of about {payload:N0} bytes; Azure Table storage allows {TableLimits.MaxBatchPayloadBytes:N0} (4 MiB). Nothing was written.");
        }

        return rows;
    }

    private Task<T> RunAsync<T>(Func<CloudTable, TableRequestOptions, CancellationToken, Task<T>> operation, string description, GrainId grainId, string name, CancellationToken cancellationToken) =>
        MapFailuresAsync(_connection.ExecuteAsync(operation, description, cancellationToken), description, grainId, name);

    /// <summary>
    /// The SDK's <see cref="StorageException"/> and the REST writer's <see cref="TableRestException"/>
    /// map alike: 412, 409 and 404 are conflicts the activation resolves by reloading; any other
    /// failure (permanent, or transient past the retry bound) names the request and the status.
    /// </summary>
    private async Task<T> MapFailuresAsync<T>(Task<T> running, string description, GrainId grainId, string name)
    {
        try
        {
            return await running;
        }
        catch (Exception ex) when (ConflictReason(ex) is string reason)
        {
            AzureTableLog.WriteRejected(_logger, grainId, name, reason);
            throw Inconsistent(grainId, name, reason, ex);
        }
        catch (Exception ex) when (ex is StorageException or TableRestException)
        {
            throw new AzureTableStorageException($"Azure Table storage: {description} of {grainId} / '{name}' in table '{_connection.TableName}' failed: {TableConnection.Describe(ex)}", ex);
        }
    }

    private static string? ConflictReason(Exception exception) => exception switch
    {
        StorageException storage => ConflictReason(storage.RequestInformation?.HttpStatusCode),
        TableRestException rest => ConflictReason(rest.Status),
        _ => null,
    };

    private static string? ConflictReason(int? status) => status switch
    {
        (int)HttpStatusCode.PreconditionFailed => "the stored ETag no longer matches (another writer got there first)",
        (int)HttpStatusCode.Conflict => "a row being inserted already exists (the state, or a log row of this batch)",
        (int)HttpStatusCode.NotFound => "the stored row no longer exists",
        _ => null,
    };

    private static InconsistentStateException Inconsistent(GrainId grainId, string name, string reason, Exception? inner = null)
    {
        var message = $"Storage of {grainId} / '{name}' rejected the write: {reason}. Nothing of this write was stored; reload and retry.";
        return inner is null ? new InconsistentStateException(message) : new InconsistentStateException(message, inner);
    }

    private static long SequenceOf(string rowKey) =>
        long.Parse(rowKey.AsSpan(rowKey.LastIndexOf('|') + 1), System.Globalization.CultureInfo.InvariantCulture);
}
