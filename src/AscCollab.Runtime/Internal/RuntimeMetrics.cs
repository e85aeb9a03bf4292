using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Runtime;

/// <summary>The runtime's instruments. The meter comes from the host's IMeterFactory when there is one, so each host (and test) has its own.</summary>
internal sealed class RuntimeMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly UpDownCounter<long> _activations;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<long> _writeRows;

    public RuntimeMetrics(IServiceProvider services, ActivationDirectory directory)
    {
        var factory = services.GetService<IMeterFactory>();
        _ownsMeter = factory is null;
        _meter = factory?.Create(GrainRuntimeMetrics.MeterName) ?? new Meter(GrainRuntimeMetrics.MeterName);
        _activations = _meter.CreateUpDownCounter<long>(GrainRuntimeMetrics.Activations, "{activation}", "Live grain activations.");
        _calls = _meter.CreateCounter<long>(GrainRuntimeMetrics.Calls, "{call}", "Grain calls accepted.");
        _callDuration = _meter.CreateHistogram<double>(GrainRuntimeMetrics.CallDuration, "ms", "Time from accepting a call to its completion, queueing included.");
        _writeDuration = _meter.CreateHistogram<double>(GrainRuntimeMetrics.StorageWriteDuration, "ms", "Time of one state write (state row plus appended log rows, one transaction), retries included.");
        _writeRows = _meter.CreateHistogram<long>(GrainRuntimeMetrics.StorageWriteRows, "{row}", "Rows per state write: the state row plus the log rows appended with it (group commit batch size).");
        _meter.CreateObservableGauge(
            GrainRuntimeMetrics.QueueLength,
            () => directory.All
                .GroupBy(a => a.GrainClass.TypeName)
                .Select(g => new Measurement<long>(g.Sum(a => (long)a.QueueLength), new KeyValuePair<string, object?>(GrainRuntimeMetrics.GrainTypeTag, g.Key))),
            "{call}",
            "Calls waiting to start, per grain type.");
    }

    public void ActivationAdded(string grainType) => _activations.Add(1, Tag(grainType));

    public void ActivationRemoved(string grainType) => _activations.Add(-1, Tag(grainType));

    public void CallStarted(string grainType) => _calls.Add(1, Tag(grainType));

    public void CallCompleted(string grainType, long startedAt) =>
        _callDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, Tag(grainType));

    public void StateWritten(string grainType, int rows, long startedAt)
    {
        var tag = Tag(grainType);
        _writeDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, tag);
        _writeRows.Record(rows, tag);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static KeyValuePair<string, object?> Tag(string grainType) => new(GrainRuntimeMetrics.GrainTypeTag, grainType);
}
