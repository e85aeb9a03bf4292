using System.Collections.Concurrent;

namespace AscCollab.Storage.AzureTable.Tests;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);
    Task<int> Total();
    Task<IReadOnlyList<string>> History();
}

public sealed class CounterState
{
    public int Total { get; set; }
    public long Sequence { get; set; }
}

/// <summary>Keeps a total and logs every addition beside it, through the runtime's logged state on Azure tables.</summary>
[GrainType("counter")]
public sealed class CounterGrain([PersistentState("tally", "main")] ILoggedState<CounterState> tally) : Grain, ICounterGrain
{
    public async Task<int> Add(int amount)
    {
        tally.State.Total += amount;
        tally.State.Sequence++;
        await tally.WriteStateAsync([new LogEntry("op", tally.State.Sequence, amount.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return tally.State.Total;
    }

    public Task<int> Total() => Task.FromResult(tally.State.Total);

    public async Task<IReadOnlyList<string>> History() =>
        [.. (await tally.ReadLogAsync("op", 1, long.MaxValue)).Select(e => e.Json)];
}

public interface IAlarmGrain : IGrainWithStringKey
{
    Task Set(string name, TimeSpan due);
}

/// <summary>What fired in one host, so a test can tell which process delivered a reminder.</summary>
public sealed class FiredReminders
{
    public ConcurrentQueue<(string Key, string Name)> Fired { get; } = new();
}

[GrainType("alarm")]
public sealed class AlarmGrain(FiredReminders fired) : Grain, IAlarmGrain, IRemindable
{
    public Task Set(string name, TimeSpan due) => RegisterOrUpdateReminderAsync(name, due);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        fired.Fired.Enqueue((GrainKey, reminderName));
        return Task.CompletedTask;
    }
}
