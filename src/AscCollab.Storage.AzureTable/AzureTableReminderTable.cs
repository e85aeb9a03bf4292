using System.Net;
using AscCollab.Runtime;
using Microsoft.Azure.Cosmos.Table;
using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Durable reminders in <c>{prefix}reminders</c>: PartitionKey <c>type|key</c> of the grain,
/// RowKey the reminder name (both escaped). The original identity is kept in properties too,
/// so reading never depends on unescaping. Times are stored as UTC ticks to round-trip exactly.
/// </summary>
public sealed class AzureTableReminderTable : IReminderTable
{
    private readonly TableConnection _connection;

    internal AzureTableReminderTable(AzureTableStorageOptions options, ILogger<AzureTableReminderTable> logger)
    {
        _connection = new TableConnection(options, options.RemindersTableName, logger);
    }

    internal TableConnection Connection => _connection;

    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Name);
        if (entry.Period is { } period && period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), period, "A reminder's period must be positive.");
        }

        var row = new DynamicTableEntity(TableKeys.PartitionKey(entry.GrainId), TableKeys.ReminderRowKey(entry.Name));
        row.Properties["GrainType"] = new EntityProperty(entry.GrainId.Type);
        row.Properties["GrainKey"] = new EntityProperty(entry.GrainId.Key);
        row.Properties["Name"] = new EntityProperty(entry.Name);
        row.Properties["StartAtUtcTicks"] = new EntityProperty(entry.StartAt.UtcTicks);
        if (entry.Period is { } p)
        {
            row.Properties["PeriodTicks"] = new EntityProperty(p.Ticks);
        }

        await RunAsync((table, options, token) => table.ExecuteAsync(TableOperation.InsertOrReplace(row), options, null, token), "upsert reminder", entry.GrainId, entry.Name, cancellationToken);
    }

    public async Task RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        var row = new DynamicTableEntity(TableKeys.PartitionKey(grainId), TableKeys.ReminderRowKey(name)) { ETag = "*" };
        try
        {
            await RunAsync((table, options, token) => table.ExecuteAsync(TableOperation.Delete(row), options, null, token), "remove reminder", grainId, name, cancellationToken);
        }
        catch (AzureTableStorageException ex) when (ex.InnerException is StorageException { RequestInformation.HttpStatusCode: (int)HttpStatusCode.NotFound })
        {
            // Removing what is not there is done already (also when a retried delete had in fact succeeded).
        }
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var entries = new List<ReminderEntry>();
        var query = new TableQuery<DynamicTableEntity>();
        TableContinuationToken? continuation = null;
        do
        {
            var current = continuation;
            var segment = await _connection.ExecuteAsync((table, options, token) => table.ExecuteQuerySegmentedAsync(query, current, options, null, token), "read reminders", cancellationToken);
            foreach (var row in segment.Results)
            {
                entries.Add(ToEntry(row));
            }

            continuation = segment.ContinuationToken;
        }
        while (continuation is not null);

        return entries;
    }

    private static ReminderEntry ToEntry(DynamicTableEntity row)
    {
        var period = row.Properties.TryGetValue("PeriodTicks", out var ticks) && ticks.Int64Value is long p ? TimeSpan.FromTicks(p) : (TimeSpan?)null;
        return new ReminderEntry(
            new GrainId(row.Properties["GrainType"].StringValue, row.Properties["GrainKey"].StringValue),
            row.Properties["Name"].StringValue,
            new DateTimeOffset(row.Properties["StartAtUtcTicks"].Int64Value ?? 0, TimeSpan.Zero),
            period,
            row.ETag);
    }

    private async Task RunAsync<T>(Func<CloudTable, TableRequestOptions, CancellationToken, Task<T>> operation, string description, GrainId grainId, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.ExecuteAsync(operation, description, cancellationToken);
        }
        catch (StorageException ex)
        {
            throw new AzureTableStorageException($"Azure Table storage: {description} '{name}' of {grainId} in table '{_connection.TableName}' failed: {TableConnection.Describe(ex)}", ex);
        }
    }
}
