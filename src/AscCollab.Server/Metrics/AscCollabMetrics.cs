using System.Diagnostics.Metrics;
using Orleans.Runtime;

namespace AscCollab.Server;

/// <summary>
/// AscCollab's own meter (<see cref="MeterName"/>), next to the ones we export and collect:
/// Orleans' (<see cref="OrleansMeterName"/>) and ASP.NET Core's. Other projects of AscCollab (the
/// storage) publish under the same meter name from their own <see cref="IMeterFactory"/> meter.
/// </summary>
internal sealed class AscCollabMetrics
{
    public const string MeterName = "AscCollab";
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>The meters <c>GET /metrics</c> reports.</summary>
    public static readonly IReadOnlyList<string> CollectedMeters = [OrleansMeterName, MeterName];

    /// <summary>
    /// Orleans' instruments <c>GET /metrics</c> totals: activations, grain calls, storage and reminders.
    /// Not all of them: Orleans records several measurements per message (bytes, queue lengths, ...),
    /// and totalling every one of them cost measurable server CPU per edit (docs/performance.md).
    /// OpenTelemetry export (when configured) still gets every instrument.
    /// </summary>
    public static readonly IReadOnlySet<string> CollectedOrleansInstruments = new HashSet<string>(StringComparer.Ordinal)
    {
        "orleans-catalog-activation-created",
        "orleans-catalog-activations",
        "orleans-grains",
        "orleans-app-requests-latency",
        "orleans-app-requests-timedout",
        "orleans-storage-read-latency",
        "orleans-storage-write-latency",
        "orleans-storage-read-errors",
        "orleans-storage-write-errors",
        "orleans-reminders-tardiness",
        "orleans-reminders-tick-delay",
    };

    /// <summary>Whether <c>GET /metrics</c> totals <paramref name="instrument"/>.</summary>
    public static bool Collects(Instrument instrument) =>
        instrument.Meter.Name == MeterName
        || (instrument.Meter.Name == OrleansMeterName && CollectedOrleansInstruments.Contains(instrument.Name));

    public const string ActiveSilos = "asccollab.cluster.active_silos";

    // The membership service is looked up when the gauge is read, not when this is built: this is
    // built before the host starts, and Orleans' services belong to the silo's start.
    public AscCollabMetrics(IMeterFactory meterFactory, IServiceProvider services)
    {
        Meter = meterFactory.Create(MeterName);
        Meter.CreateObservableGauge(
            ActiveSilos,
            () => services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active),
            "{silo}",
            "Silos this node sees as active in the cluster.");
    }

    public Meter Meter { get; }
}
