namespace AscCollab.Runtime;

/// <summary>A grain that receives durable reminders implements this.</summary>
public interface IRemindable : IGrain
{
    /// <summary>Delivered at least once per due time, also after a process restart.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}

public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan? Period, DateTimeOffset CurrentTickTime);

/// <summary>A durable reminder row.</summary>
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan? Period, string? ETag = null);

/// <summary>The reminder storage port.</summary>
public interface IReminderTable
{
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    Task RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken);

    /// <summary>Every reminder; the reminder service keeps its own schedule from this.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken);
}
