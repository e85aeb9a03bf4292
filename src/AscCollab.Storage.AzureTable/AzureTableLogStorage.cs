using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Grain state and its append-only logs in one Azure table (Azure.Data.Tables), one partition per
/// grain (<c>type|key</c>): the state row <c>state|{stateName}</c> and log rows
/// <c>{stream}|{sequence:D9}</c>. A write with log rows is one entity-group transaction: the state
/// replaced under its ETag (or added) and each log row added, so either all of it is stored or none.
/// Layout, limits and failures: docs/storage.md.
/// </summary>
public sealed class AzureTableLogStorage : ILogStorage
{
    private readonly TableConnection _table;
    private readonly ILogger _logger;

    internal AzureTableLogStorage(AzureTableStorageOptions options, ILogger<AzureTableLogStorage> logger)
    {
        _logger = logger;
        _table = new TableConnection(options, options.GrainsTableName, logger);
    }

    internal TableConnection Connection => _table;

    public async Task<StoredState?> ReadStateAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var partitionKey = TableKeys.PartitionKey(grainId);
        var rowKey = TableKeys.StateRowKey(stateName);
        return await RunAsync(
            async (table, token) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: token);
                return found.HasValue ? new StoredState(ChunkedJson.Read(found.Value!), found.Value!.ETag.ToString()) : null;
            },
            "read state", grainId, stateName, null, cancellationToken);
    }

    public Task<string> WriteStateAsync(GrainId grainId, string stateName, string json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        return WriteAsync(grainId, stateName, TableRow.FromJson(TableKeys.StateRowKey(stateName), json), expectedETag, appends, cancellationToken);
    }

    /// <summary>The state's UTF-8 is stored as it is (it must be valid UTF-8; it is read back as a string).</summary>
    public Task<string> WriteStateUtf8Async(GrainId grainId, string stateName, byte[] utf8Json, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return WriteAsync(grainId, stateName, new TableRow(TableKeys.StateRowKey(stateName), utf8Json), expectedETag, appends, cancellationToken);
    }

    private async Task<string> WriteAsync(GrainId grainId, string stateName, TableRow state, string? expectedETag, IReadOnlyList<LogEntry> appends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appends);
        var partitionKey = TableKeys.PartitionKey(grainId);

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

        var startedAt = Stopwatch.GetTimestamp();
        var stateETag = expectedETag is null ? (ETag?)null : new ETag(expectedETag);
        if (rows.Length == 1)
        {
            var entity = ChunkedJson.ToEntity(partitionKey, state);
            var written = await RunAsync(
                async (table, token) => NewETag(stateETag is { } etag
                    ? await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, token)
                    : await table.AddEntityAsync(entity, token)),
                "write state", grainId, stateName, rows, cancellationToken);
            StorageMetrics.Written(1, startedAt);
            return written;
        }

        var actions = new TableTransactionAction[rows.Length];
        actions[0] = stateETag is { } expected
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ChunkedJson.ToEntity(partitionKey, state), expected)
            : new TableTransactionAction(TableTransactionActionType.Add, ChunkedJson.ToEntity(partitionKey, state));
        for (var i = 1; i < rows.Length; i++)
        {
            actions[i] = new TableTransactionAction(TableTransactionActionType.Add, ChunkedJson.ToEntity(partitionKey, rows[i]));
        }

        var etag = await RunAsync(
            async (table, token) =>
            {
                var answers = await table.SubmitTransactionAsync(actions, token);
                return NewETag(answers.Value[0]);
            },
            "write state and log", grainId, stateName, rows, cancellationToken);
        StorageMetrics.Written(rows.Length, startedAt);
        return etag;
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

        var partitionKey = TableKeys.PartitionKey(grainId);
        var rowKey = TableKeys.StateRowKey(stateName);
        var status = await RunAsync(
            async (table, token) => (await table.DeleteEntityAsync(partitionKey, rowKey, new ETag(expectedETag), token)).Status,
            "clear state", grainId, stateName, null, cancellationToken);

        // The SDK answers a missing row with its 404 response instead of throwing; for us the caller's ETag is stale.
        if (status == (int)HttpStatusCode.NotFound)
        {
            throw Inconsistent(grainId, stateName, ConflictReason(status)!);
        }
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
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey ge {TableKeys.LogRowKey(stream, fromSequence)} and RowKey le {TableKeys.LogRowKey(stream, toSequence)}");
        return await RunAsync(
            async (table, token) =>
            {
                var entries = new List<LogEntry>();
                await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: token))
                {
                    entries.Add(new LogEntry(stream, SequenceOf(row.RowKey), ChunkedJson.Read(row)));
                }

                return (IReadOnlyList<LogEntry>)entries;
            },
            "read log", grainId, stream, null, cancellationToken);
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
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < appends.Count; i++)
        {
            var append = appends[i];
            var rowKey = TableKeys.LogRowKey(append.Stream, append.Sequence);
            if (!rowKeys.Add(rowKey))
            {
                throw new ArgumentException($"The log entry {append.Stream} #{append.Sequence} appears twice in one write.", nameof(appends));
            }

            ArgumentNullException.ThrowIfNull(append.Json);
            var row = TableRow.FromJson(rowKey, append.Json);
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

    /// <summary>
    /// Runs one request once the table exists (Azure.Core retries transient failures inside it).
    /// 412, 409 and 404 are conflicts the activation resolves by reloading; any other failure
    /// (permanent, or transient past the retry bound) names the request and the status.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<TableClient, CancellationToken, Task<T>> request, string description, GrainId grainId, string name, TableRow[]? rows, CancellationToken cancellationToken)
    {
        try
        {
            var table = await _table.GetTableAsync(cancellationToken);
            return await request(table, cancellationToken);
        }
        catch (RequestFailedException ex) when (ConflictReason(ex.Status) is string reason)
        {
            var detail = $"{reason}; {FailedRow(ex, rows)}: HTTP {ex.Status} {ex.ErrorCode}";
            AzureTableLog.WriteRejected(_logger, grainId, name, detail);
            throw Inconsistent(grainId, name, detail, ex);
        }
        catch (Exception ex) when (IsStorageFailure(ex) && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"Azure Table storage: {description} of {grainId} / '{name}' was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            var outcome = TableConnection.IsTransient(ex) ? $"still failed after {_table.MaxAttempts} attempts" : "failed";
            throw new AzureTableStorageException(
                $"Azure Table storage: {description} of {grainId} / '{name}' in table '{_table.TableName}' {outcome}: {TableConnection.Describe(ex)}", ex);
        }
    }

    private static bool IsStorageFailure(Exception exception) =>
        exception is RequestFailedException or AggregateException or HttpRequestException or IOException or OperationCanceledException;

    private static string FailedRow(RequestFailedException exception, TableRow[]? rows)
    {
        if (rows is null)
        {
            return "the state row";
        }

        var index = exception is TableTransactionFailedException { FailedTransactionActionIndex: int failed } ? failed : 0;
        var row = index == 0 ? $"the state row '{rows[0].RowKey}'" : $"log row '{rows[index].RowKey}'";
        return rows.Length == 1 ? row : $"{row} (operation {index} of {rows.Length} in one transaction)";
    }

    private static string? ConflictReason(int status) => status switch
    {
        (int)HttpStatusCode.PreconditionFailed => "the stored ETag no longer matches (another writer got there first)",
        (int)HttpStatusCode.Conflict => "a row being inserted already exists (the state, or a log row of this batch)",
        (int)HttpStatusCode.NotFound => "the stored row no longer exists",
        _ => null,
    };

    private static string NewETag(Response response) =>
        response.Headers.ETag?.ToString() ?? throw new AzureTableStorageException($"Azure Table storage answered a write with HTTP {response.Status} but no ETag.");

    private static InconsistentStateException Inconsistent(GrainId grainId, string name, string reason, Exception? inner = null)
    {
        var message = $"Storage of {grainId} / '{name}' rejected the write: {reason}. Nothing of this write was stored; reload and retry.";
        return inner is null ? new InconsistentStateException(message) : new InconsistentStateException(message, inner);
    }

    private static long SequenceOf(string rowKey) =>
        long.Parse(rowKey.AsSpan(rowKey.LastIndexOf('|') + 1), CultureInfo.InvariantCulture);
}
