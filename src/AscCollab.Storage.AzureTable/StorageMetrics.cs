using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// The log storage's writes on the meter "AscCollab": rows per write (the group commit's size) and
/// milliseconds per write, both recorded for writes that committed. Read by <c>GET /metrics</c>,
/// OpenTelemetry and the bench.
/// </summary>
internal static class StorageMetrics
{
    public const string MeterName = "AscCollab";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "asccollab.storage.write.duration", "ms", "Milliseconds per committed state-and-log write (one entity-group transaction), retries included.");

    private static readonly Histogram<int> Rows = Meter.CreateHistogram<int>(
        "asccollab.storage.write.rows", "{row}", "Rows per committed state-and-log write (state row + packed op and audit rows).");

    public static void Written(int rows, long startedAt)
    {
        Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        Rows.Record(rows);
    }
}
