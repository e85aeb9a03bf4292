using Azure;
using Azure.Data.Tables;

namespace AscCollab.Server.Tests;

/// <summary>The Orleans reminder table of a test's cluster ({prefix}reminders), read directly.</summary>
internal static class Reminders
{
    public static async Task<int> CountAsync(string connectionString, string tablePrefix)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(tablePrefix + "reminders");
        try
        {
            var count = 0;
            await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
            {
                count++;
            }
            return count;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }
}
