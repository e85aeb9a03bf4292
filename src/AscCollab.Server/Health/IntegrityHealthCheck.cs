using AscCollab.Grains;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;

namespace AscCollab.Server;

/// <summary>
/// Degraded while the integrity registry holds an open incident (docs/operations.md): the node still
/// serves, so <c>/health</c> stays 200 and says <c>degraded</c>. The registry not answering within
/// <see cref="Timeout"/> is not this check's failure (the silo check reports the cluster).
/// </summary>
internal sealed class IntegrityHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public const string OpenKey = "openIncidents";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IntegrityStatus status;
        try
        {
            status = await grains.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key).Status().WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or Orleans.Runtime.OrleansException or InvalidOperationException)
        {
            return HealthCheckResult.Healthy($"The integrity registry did not answer: {ex.GetType().Name}.");
        }
        if (status.Open == 0)
        {
            return HealthCheckResult.Healthy("No open integrity incident.", new Dictionary<string, object> { [OpenKey] = 0 });
        }
        var holds = status.ProposalsOnHold.Count > 0 ? $"; on integrity hold: {string.Join(", ", status.ProposalsOnHold.Take(20))}" : "";
        return new HealthCheckResult(HealthStatus.Degraded,
            $"{status.Open} open integrity incident(s) ({string.Join(", ", status.OpenKinds)}){holds}.",
            data: new Dictionary<string, object> { [OpenKey] = status.Open });
    }
}
