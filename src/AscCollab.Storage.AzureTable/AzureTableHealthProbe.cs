using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

/// <summary>What <see cref="AzureTableHealthProbe"/> found: healthy, or why not.</summary>
public sealed record AzureTableHealth(bool IsHealthy, string Description);

/// <summary>
/// Tells whether every Azure table of the registered log storages is reachable: each is created if
/// missing and then read (one row at most). The Server's <c>/health</c> calls it; bound it with a short token.
/// </summary>
public sealed class AzureTableHealthProbe
{
    private readonly IReadOnlyList<TableConnection> _connections;
    private readonly ILogger<AzureTableHealthProbe> _logger;

    internal AzureTableHealthProbe(IEnumerable<TableConnection> connections, ILogger<AzureTableHealthProbe> logger)
    {
        _connections = [.. connections];
        _logger = logger;
    }

    public async Task<AzureTableHealth> CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in _connections)
        {
            try
            {
                var table = await connection.GetTableAsync(cancellationToken);
                await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = TableConnection.Describe(ex);
                AzureTableLog.ProbeFailed(_logger, connection.TableName, error);
                return new AzureTableHealth(false, $"Azure table '{connection.TableName}' is not reachable: {error}");
            }
        }

        return new AzureTableHealth(true, _connections.Count == 0
            ? "No Azure table storage is registered."
            : $"Azure tables reachable: {string.Join(", ", _connections.Select(c => c.TableName))}.");
    }
}
