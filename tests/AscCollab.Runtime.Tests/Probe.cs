using System.Collections.Concurrent;
using System.Diagnostics;

namespace AscCollab.Runtime.Tests;

/// <summary>What test grains saw, recorded per host. Grains get it from DI.</summary>
public sealed class Probe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _arrivals = new();
    private int _live;
    private int _maxLive;

    public ConcurrentDictionary<string, int> Activations { get; } = new();
    public ConcurrentQueue<(string Key, DeactivationReason Reason)> Deactivations { get; } = new();
    public ConcurrentQueue<int> Order { get; } = new();
    public ConcurrentQueue<string> Notes { get; } = new();
    public ConcurrentQueue<(string Key, string Name, TickStatus Status)> Ticks { get; } = new();
    private int _overlaps;
    public int MaxLive => Volatile.Read(ref _maxLive);
    public int Overlaps => Volatile.Read(ref _overlaps);

    public void Overlapped() => Interlocked.Increment(ref _overlaps);

    public TaskCompletionSource Gate(string name) => _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open(string name) => Gate(name).TrySetResult();

    /// <summary>Arrives at a named barrier; true when <paramref name="parties"/> arrived within <paramref name="wait"/>.</summary>
    public async Task<bool> Rendezvous(string name, int parties, TimeSpan wait)
    {
        if (_arrivals.AddOrUpdate(name, 1, (_, n) => n + 1) >= parties)
        {
            Open(name);
        }

        try
        {
            await Gate(name).Task.WaitAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Activated(string key)
    {
        Activations.AddOrUpdate(key, 1, (_, n) => n + 1);
        var live = Interlocked.Increment(ref _live);
        int seen;
        while (live > (seen = Volatile.Read(ref _maxLive)) && Interlocked.CompareExchange(ref _maxLive, live, seen) != seen)
        {
        }
    }

    public void Deactivated(string key, DeactivationReason reason)
    {
        Interlocked.Decrement(ref _live);
        Deactivations.Enqueue((key, reason));
    }

    public int ActivationsOf(string key) => Activations.GetValueOrDefault(key);
}

internal static class Bounded
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    /// <summary>Polls <paramref name="condition"/> every 10 ms, failing after the bound.</summary>
    public static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition().WaitAsync(Timeout))
        {
            if (Stopwatch.GetElapsedTime(started) > Timeout)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }
}
