namespace AscCollab.Grains.Tests;

/// <summary>
/// A clock the test moves. Timers fire (synchronously, in due order) when <see cref="Advance"/> passes
/// their due time; a timer due now fires at once on the thread pool, as a real one would.
/// </summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        return timer;
    }

    public IReadOnlyList<DateTimeOffset?> DueTimes()
    {
        lock (_gate)
        {
            return [.. _timers.Select(t => t.Due)];
        }
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset now;
        lock (_gate)
        {
            _now += by;
            now = _now;
        }
        // Bounded: each round fires what is due; periodic timers re-arm past now.
        for (var round = 0; round < 1_000; round++)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.Due is { } d && d <= now).OrderBy(t => t.Due).FirstOrDefault();
                if (due is null)
                {
                    return;
                }
                // A periodic timer that missed several ticks fires once and resumes a period from now.
                due.Due = due.Period is { } p ? (due.Due + p > now ? due.Due + p : now + p) : null;
            }
            due.Fire();
        }
    }

    private void FireIfDue(ManualTimer timer)
    {
        lock (_gate)
        {
            if (!_timers.Contains(timer) || timer.Due is not { } due || due > _now)
            {
                return;
            }
            timer.Due = timer.Period is { } p ? _now + p : null;
        }
        timer.Fire();
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTime owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            }
            if (dueTime == TimeSpan.Zero)
            {
                ThreadPool.QueueUserWorkItem(_ => owner.FireIfDue(this));
            }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
