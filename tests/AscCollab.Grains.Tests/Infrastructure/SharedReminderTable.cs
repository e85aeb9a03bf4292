using System.Globalization;

namespace AscCollab.Grains.Tests;

/// <summary>A reminder table outside any one cluster, so a reminder registered before a restart fires after it.</summary>
internal sealed class SharedReminderTable : IReminderTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(GrainId Grain, string Name), ReminderEntry> _rows = [];
    private long _lastETag;

    public Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        lock (_gate)
        {
            return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId == grainId).Select(Copy).ToList()));
        }
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        lock (_gate)
        {
            return Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(Copy).ToList()));
        }
    }

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? Copy(row) : null);
        }
    }

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        lock (_gate)
        {
            var row = Copy(entry);
            row.ETag = (++_lastETag).ToString(CultureInfo.InvariantCulture);
            _rows[(entry.GrainId, entry.ReminderName)] = row;
            return Task.FromResult<string?>(row.ETag);
        }
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue((grainId, reminderName), out var row) && row.ETag == eTag)
            {
                _rows.Remove((grainId, reminderName));
                return Task.FromResult(true);
            }
            return Task.FromResult(false);
        }
    }

    public Task TestOnlyClearTable()
    {
        lock (_gate)
        {
            _rows.Clear();
        }
        return Task.CompletedTask;
    }

    public int Count(GrainId grainId)
    {
        lock (_gate)
        {
            return _rows.Keys.Count(k => k.Grain == grainId);
        }
    }

    // Orleans' ring ranges: (begin, end], wrapping; begin == end is the whole ring.
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin == end || (begin < end ? hash > begin && hash <= end : hash > begin || hash <= end);

    private static ReminderEntry Copy(ReminderEntry e) => new()
    {
        GrainId = e.GrainId,
        ReminderName = e.ReminderName,
        StartAt = e.StartAt,
        Period = e.Period,
        ETag = e.ETag,
    };
}
