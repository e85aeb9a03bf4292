using System.Globalization;

namespace AscCollab.Runtime;

/// <summary>In-memory reminder table. For tests; one instance may be shared by several runtimes to simulate a restart.</summary>
public sealed class MemoryReminderTable : IReminderTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId Grain, string Name), ReminderEntry> _rows = [];
    private long _lastETag;

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _rows[(entry.GrainId, entry.Name)] = entry with { ETag = (++_lastETag).ToString(CultureInfo.InvariantCulture) };
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _rows.Remove((grainId, name));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _rows.Values]);
        }
    }
}
