namespace AscCollab.Runtime.Tests;

public sealed class Tally
{
    public int Total { get; set; }
    public List<string> Lines { get; set; } = [];
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();
    Task<int> Get();
    Task Fail(string message);
    Task<string> Echo(string text);
    Task Retire();
    Task<string> CallOther(string otherKey, string text);
}

[GrainType("counter")]
public sealed class CounterGrain(Probe probe) : Grain, ICounterGrain
{
    private int _count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activated(GrainKey);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A slow hook widens the window in which a new activation could (wrongly) start.
        await Task.Delay(20, cancellationToken);
        probe.Deactivated(GrainKey, reason);
    }

    public async Task<int> Increment()
    {
        var before = _count;
        await Task.Yield();
        _count = before + 1;
        return _count;
    }

    public Task<int> Get() => Task.FromResult(_count);

    public Task Fail(string message) => throw new InvalidOperationException(message);

    public Task<string> Echo(string text) => Task.FromResult($"{GrainKey}:{text}");

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<string> CallOther(string otherKey, string text)
    {
        var other = GrainFactory.GetGrain<ICounterGrain>(otherKey);
        var reply = await other.Echo(text);
        _count++;
        return $"{GrainKey}>{reply}";
    }
}

public interface ITurnGrain : IGrainWithStringKey
{
    Task Enter(int sequence);
    Task<bool> Rendezvous(string barrier, int parties, int waitMs);
    Task<int> Hold(string gate);

    [AlwaysInterleave]
    Task<int> Peek();

    [OneWay]
    Task Notify(string gate, string note);

    [OneWay]
    Task NotifyFail();
}

[GrainType("turn")]
public sealed class TurnGrain(Probe probe) : Grain, ITurnGrain
{
    private int _inside;
    private int _held;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivations.Enqueue((GrainKey, reason));
        return Task.CompletedTask;
    }

    public async Task Enter(int sequence)
    {
        if (++_inside > 1)
        {
            probe.Overlapped();
        }

        probe.Order.Enqueue(sequence);
        await Task.Delay(1);
        await Task.Yield();
        _inside--;
    }

    public Task<bool> Rendezvous(string barrier, int parties, int waitMs) => probe.Rendezvous(barrier, parties, TimeSpan.FromMilliseconds(waitMs));

    public async Task<int> Hold(string gate)
    {
        _held++;
        await probe.Gate(gate).Task;
        return _held;
    }

    public Task<int> Peek() => Task.FromResult(_held);

    public async Task Notify(string gate, string note)
    {
        await probe.Gate(gate).Task;
        probe.Notes.Enqueue(note);
    }

    public Task NotifyFail() => throw new InvalidOperationException("one-way failure");
}

public interface IReentrantGrain : IGrainWithStringKey
{
    Task<bool> Rendezvous(string barrier, int parties, int waitMs);
}

[GrainType("reentrant")]
[Reentrant]
public sealed class ReentrantGrain(Probe probe) : Grain, IReentrantGrain
{
    public Task<bool> Rendezvous(string barrier, int parties, int waitMs) => probe.Rendezvous(barrier, parties, TimeSpan.FromMilliseconds(waitMs));
}

public interface IStateGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);
    Task<int> Total();
    Task Clear();
    Task<long> Append(string line, long sequence);
    Task<IReadOnlyList<string>> Log(long from, long to);
}

[GrainType("state")]
public sealed class StateGrain(
    Probe probe,
    [PersistentState("tally", "store")] ILoggedState<Tally> tally) : Grain, IStateGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activated(GrainKey);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivated(GrainKey, reason);
        return Task.CompletedTask;
    }

    public async Task<int> Add(int amount)
    {
        tally.State.Total += amount;
        await tally.WriteStateAsync();
        return tally.State.Total;
    }

    public Task<int> Total() => Task.FromResult(tally.State.Total);

    public Task Clear() => tally.ClearStateAsync();

    public async Task<long> Append(string line, long sequence)
    {
        tally.State.Lines.Add(line);
        await tally.WriteStateAsync([new LogEntry("op", sequence, $"\"{line}\"")]);
        return sequence;
    }

    public async Task<IReadOnlyList<string>> Log(long from, long to) =>
        [.. (await tally.ReadLogAsync("op", from, to)).Select(e => e.Json)];
}

public interface IReminderGrain : IGrainWithStringKey
{
    Task Remind(string name, TimeSpan due, TimeSpan? period);
    Task Unremind(string name);
}

[GrainType("reminder")]
public sealed class ReminderGrain(Probe probe) : Grain, IReminderGrain, IRemindable
{
    public Task Remind(string name, TimeSpan due, TimeSpan? period) => RegisterOrUpdateReminderAsync(name, due, period);

    public Task Unremind(string name) => UnregisterReminderAsync(name);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Ticks.Enqueue((GrainKey, reminderName, status));
        return Task.CompletedTask;
    }
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Emit(int count);
    Task Remind(string name);
}

public sealed record Numbered(int Number, string Key);

[GrainType("publisher")]
public sealed class PublisherGrain(IGrainContext context) : Grain, IPublisherGrain
{
    private readonly string _keyFromConstructor = context.GrainId.Key;

    public Task Emit(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Publish(new Numbered(i, _keyFromConstructor));
        }

        return Task.CompletedTask;
    }

    /// <summary>This grain is not IRemindable: registering must fail clearly.</summary>
    public Task Remind(string name) => RegisterOrUpdateReminderAsync(name, TimeSpan.FromSeconds(1));
}

internal interface IInternalGrain : IGrainWithStringKey
{
    Task<string> Hello();
}

/// <summary>Internal interface (the project default) and an activation that fails the first time.</summary>
[GrainType("internal")]
internal sealed class InternalGrain(Probe probe) : Grain, IInternalGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activated(GrainKey);
        return probe.ActivationsOf(GrainKey) == 1 && GrainKey.StartsWith("flaky", StringComparison.Ordinal)
            ? throw new InvalidOperationException("first activation fails")
            : Task.CompletedTask;
    }

    public Task<string> Hello() => Task.FromResult($"hello from {GrainKey}");
}
