using AscCollab.Storage.AzureTable;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AscCollab.Server;

/// <summary>Azure Table storage answers: every table of the registered storages is reachable, within <see cref="ProbeTimeout"/>.</summary>
internal sealed class StorageHealthCheck(AzureTableHealthProbe probe) : IHealthCheck
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        AzureTableHealth health;
        try
        {
            health = await probe.CheckAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            health = new AzureTableHealth(false, $"Azure Table storage did not answer within {ProbeTimeout.TotalSeconds:0} s.");
        }

        return health.IsHealthy
            ? HealthCheckResult.Healthy(health.Description)
            : new HealthCheckResult(context.Registration.FailureStatus, health.Description);
    }
}
