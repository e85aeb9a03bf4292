using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace AscCollab.Server;

/// <summary>
/// The silo co-hosted in this process is active in the cluster. Its data says how many silos this
/// node sees as active (<see cref="SilosKey"/>) and the local silo's status (<see cref="StatusKey"/>).
/// </summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo) : IHealthCheck
{
    public const string SilosKey = "silos";
    public const string StatusKey = "siloStatus";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var status = snapshot.GetSiloStatus(localSilo.SiloAddress);
        var data = new Dictionary<string, object>
        {
            [SilosKey] = active,
            [StatusKey] = status,
        };

        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"The local silo is active; this node sees {active} active silo(s).", data)
            : new HealthCheckResult(context.Registration.FailureStatus,
                IsStarting(status)
                    ? $"The local silo is not active yet ({status}); this node sees {active} active silo(s)."
                    : $"The local silo is {status}; this node sees {active} active silo(s).",
                data: data));
    }

    /// <summary>Statuses of a silo on its way into the cluster (None: not in the membership snapshot yet).</summary>
    public static bool IsStarting(SiloStatus status) => status is SiloStatus.None or SiloStatus.Created or SiloStatus.Joining;
}
