using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Orleans;

namespace AscCollab.Server;

/// <summary>One instrument's totals since the host started (tags summed away).</summary>
internal sealed record InstrumentSnapshot(string Name, string Kind, string? Unit, string? Description, double Value, long? Count, double? Min, double? Max);

internal sealed record RuntimeMetricsSnapshot(DateTimeOffset At, IReadOnlyList<InstrumentSnapshot> Instruments);

/// <summary>
/// Listens to the grain runtime's meter (Microsoft.Orleans) and keeps
/// running totals for <c>GET /metrics</c>. Exporters (OpenTelemetry, dotnet-counters) can read the
/// same meter directly; this is the zero-dependency view for the Chair's operators.
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
            if (instrument.Meter.Name == "Microsoft.Orleans" && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meterFactory)))
            {
                _totals.TryAdd(instrument, new Totals());
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        _listener.Start();
    }

    public RuntimeMetricsSnapshot Snapshot()
    {
        // Observable instruments report on demand: reset their totals, then collect.
        foreach (var (instrument, totals) in _totals)
        {
            if (instrument.IsObservable)
            {
                totals.Reset();
            }
        }
        _listener.RecordObservableInstruments();

        var instruments = _totals
            .Select(pair => pair.Value.Snapshot(pair.Key))
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
        return new RuntimeMetricsSnapshot(_clock.GetUtcNow(), instruments);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value)
    {
        if (_totals.TryGetValue(instrument, out var totals))
        {
            totals.Add(value);
        }
    }

    private sealed class Totals
    {
        private readonly Lock _gate = new();
        private double _sum;
        private long _count;
        private double _min = double.PositiveInfinity;
        private double _max = double.NegativeInfinity;

        public void Add(double value)
        {
            lock (_gate)
            {
                _sum += value;
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

        public InstrumentSnapshot Snapshot(Instrument instrument)
        {
            lock (_gate)
            {
                var kind = KindOf(instrument);
                var isHistogram = kind == "histogram";
                return new InstrumentSnapshot(instrument.Name, kind, instrument.Unit, instrument.Description, _sum,
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
