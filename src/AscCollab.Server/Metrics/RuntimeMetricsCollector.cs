using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AscCollab.Server;

/// <summary>One instrument's totals since the host started (tags summed away).</summary>
internal sealed record InstrumentSnapshot(string Name, string Kind, string? Unit, string? Description, double Value, long? Count, double? Min, double? Max);

internal sealed record RuntimeMetricsSnapshot(DateTimeOffset At, IReadOnlyList<InstrumentSnapshot> Instruments);

/// <summary>
/// Listens to the meters of <see cref="AscCollabMetrics.CollectedMeters"/> (Orleans' and ours) and
/// keeps running totals for <c>GET /metrics</c>: the dependency-free view for the Chair's operators.
/// OpenTelemetry exports the same meters (and ASP.NET Core's) when an OTLP endpoint is configured.
/// </summary>
internal sealed class RuntimeMetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Totals> _totals = new();
    private readonly TimeProvider _clock;

    public RuntimeMetricsCollector(TimeProvider clock, IMeterFactory meterFactory)
    {
        _clock = clock;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Meters made by another host's factory (several test hosts in one process) are not ours.
            if (AscCollabMetrics.Collects(instrument)
                && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meterFactory)))
            {
                var totals = _totals.GetOrAdd(instrument, i => new Totals(i));
                // The totals ride along as the measurement's state: no lookup per measurement.
                listener.EnableMeasurementEvents(instrument, totals);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _totals.TryRemove(instrument, out Totals? _);
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => ((Totals)state!).Add(value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, state) => ((Totals)state!).Add(value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, state) => ((Totals)state!).Add(value));
        _listener.SetMeasurementEventCallback<float>((_, value, _, state) => ((Totals)state!).Add(value));
        _listener.Start();
    }

    public RuntimeMetricsSnapshot Snapshot()
    {
        // Observable instruments report on demand: reset their totals, then collect.
        foreach (var totals in _totals.Values)
        {
            if (totals.Instrument.IsObservable)
            {
                totals.Reset();
            }
        }
        _listener.RecordObservableInstruments();

        var instruments = _totals.Values
            .Select(totals => totals.Snapshot())
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
        return new RuntimeMetricsSnapshot(_clock.GetUtcNow(), instruments);
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Totals(Instrument instrument)
    {
        private readonly Lock _gate = new();
        private readonly string _kind = KindOf(instrument);
        // A synchronous gauge reports its current value: the last one recorded, not a sum.
        private readonly bool _lastValue = !instrument.IsObservable && KindOf(instrument) == "gauge";
        private double _sum;
        private long _count;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;

        public Instrument Instrument => instrument;

        public void Add(double value)
        {
            lock (_gate)
            {
                _sum = _lastValue ? value : _sum + value;
                _count++;
                _min = Math.Min(_min, value);
                _max = Math.Max(_max, value);
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                (_sum, _count, _min, _max) = (0, 0, double.PositiveInfinity, double.NegativeInfinity);
            }
        }

        public InstrumentSnapshot Snapshot()
        {
            lock (_gate)
            {
                var isHistogram = _kind == "histogram";
                return new InstrumentSnapshot(instrument.Name, _kind, instrument.Unit, instrument.Description, _sum,
                    isHistogram ? _count : null,
                    isHistogram && _count > 0 ? _min : null,
                    isHistogram && _count > 0 ? _max : null);
            }
        }

        private static string KindOf(Instrument instrument)
        {
            var type = instrument.GetType();
            var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;
            return name switch
            {
                "Counter" or "ObservableCounter" => "counter",
                "UpDownCounter" or "ObservableUpDownCounter" => "up_down_counter",
                "Histogram" => "histogram",
                _ => "gauge",
            };
        }
    }
}
