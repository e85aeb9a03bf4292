using Azure;
using Azure.Data.Tables;

namespace AscCollab.Bench;

/// <summary>
/// typing-fresh: the absolute typing targets are for a fresh Azurite, while the server needs
/// its 30-s pre-warm to reach steady-state code, and the pre-warm leaves thousands of edits in
/// Azurite, whose 5-s saves (it serialises its whole database) then take tens of milliseconds. So
/// after the pre-warm the bench removes the pre-warm proposal's partition — its state, op and audit
/// rows — from the server's table, as an empty Azurite would hold none of them, and waits for
/// Azurite's next save before typing starts. The server keeps the pre-warm proposal's grain in
/// memory and never writes it again (its clients are gone).
/// </summary>
internal static class FreshAzurite
{
    /// <summary>Azure's entity-group transactions take at most 100 operations.</summary>
    private const int MaxBatch = 100;

    /// <summary>Azurite saves to disk every 5 s; one more second to let the save after the deletes finish.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(6);

    /// <summary>Deletes every row of <paramref name="partitionKey"/> in <paramref name="table"/>; answers how many.</summary>
    public static async Task<int> RemovePartitionAsync(string connectionString, string table, string partitionKey, CancellationToken cancellationToken)
    {
        var client = new TableClient(connectionString, table);
        var keys = new List<(string Partition, string Row)>();
        await foreach (var entity in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add((entity.PartitionKey, entity.RowKey));
        }
        for (var i = 0; i < keys.Count; i += MaxBatch)
        {
            var batch = keys.Skip(i).Take(MaxBatch).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(k.Partition, k.Row), ETag.All)).ToList();
            await client.SubmitTransactionAsync(batch, cancellationToken);
        }
        return keys.Count;
    }
}
