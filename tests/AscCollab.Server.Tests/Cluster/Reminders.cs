using Azure;
using Azure.Data.Tables;

namespace AscCollab.Server.Tests;

/// <summary>The Orleans reminder table of a test's cluster ({prefix}reminders), read directly.</summary>
internal static class Reminders
{
    /// <summary>
    /// How many reminders named <paramref name="reminderName"/> the table holds (other grains keep reminders of
    /// their own, e.g. the integrity sweep's, which a cluster always has).
    /// </summary>
    public static async Task<int> CountAsync(string connectionString, string tablePrefix, string reminderName)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(tablePrefix + "reminders");
        try
        {
            var count = 0;
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey", "ReminderName"]))
            {
                if (row.GetString("ReminderName") == reminderName)
                {
                    count++;
                }
            }
            return count;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }
}
