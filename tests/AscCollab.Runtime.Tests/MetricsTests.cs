using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Runtime.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Activations_calls_durations_and_queue_length_are_measured()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var meterFactory = runtime.Host.Services.GetRequiredService<IMeterFactory>();
        var longs = new ConcurrentQueue<(string Instrument, long Value, string? GrainType)>();
        var doubles = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: other tests run hosts in parallel.
            if (instrument.Meter.Name == GrainRuntimeMetrics.MeterName && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            longs.Enqueue((instrument.Name, value, TagValue(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => doubles.Enqueue((instrument.Name, value)));
        listener.Start();

        var grain = runtime.Grains.GetGrain<ITurnGrain>("measured");
        var held = grain.Hold("metrics-gate");
        Assert.Equal(1, await grain.Peek().Within());
        var queued = Enumerable.Range(0, 3).Select(_ => grain.Hold("metrics-gate")).ToList();
        listener.RecordObservableInstruments();
        runtime.Probe.Open("metrics-gate");
        await Task.WhenAll([held, .. queued]).Within();
        for (var i = 0; i < 5; i++)
        {
            await runtime.Grains.GetGrain<ICounterGrain>("c").Increment().Within();
        }

        Assert.Equal(1, longs.Where(m => m.Instrument == GrainRuntimeMetrics.Activations && m.GrainType == "turn").Sum(m => m.Value));
        Assert.Equal(5, longs.Where(m => m.Instrument == GrainRuntimeMetrics.Calls && m.GrainType == "turn").Sum(m => m.Value));
        Assert.Equal(5, longs.Where(m => m.Instrument == GrainRuntimeMetrics.Calls && m.GrainType == "counter").Sum(m => m.Value));
        Assert.Contains(longs, m => m.Instrument == GrainRuntimeMetrics.QueueLength && m.GrainType == "turn" && m.Value == 3);
        var durations = doubles.Where(m => m.Instrument == GrainRuntimeMetrics.CallDuration).ToList();
        Assert.Equal(10, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value >= 0));
    }

    [Fact]
    public async Task Each_state_write_records_its_duration_and_rows()
    {
        await using var runtime = await TestRuntime.StartAsync();
        var meterFactory = runtime.Host.Services.GetRequiredService<IMeterFactory>();
        var rows = new ConcurrentQueue<(long Value, string? GrainType)>();
        var durations = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GrainRuntimeMetrics.MeterName && instrument.Meter.Scope == meterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == GrainRuntimeMetrics.StorageWriteRows)
            {
                rows.Enqueue((value, TagValue(tags)));
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == GrainRuntimeMetrics.StorageWriteDuration)
            {
                durations.Enqueue(value);
            }
        });
        listener.Start();

        var grain = runtime.Grains.GetGrain<IStateGrain>("written");
        await grain.Add(2).Within();
        await grain.Append("first", 1).Within();
        await grain.Total().Within();

        // The state row alone, then the state row with one log row; a read writes nothing.
        Assert.Equal([(1L, "state"), (2L, "state")], rows.ToArray());
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d => Assert.True(d >= 0));
    }

    private static string? TagValue(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == GrainRuntimeMetrics.GrainTypeTag)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
