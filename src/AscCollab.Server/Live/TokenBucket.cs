namespace AscCollab.Server;

/// <summary>
/// A token bucket refilled lazily from the clock on each take, so idle connections cost no timer.
/// Thread-safe: one connection's calls may run concurrently when the client does not await them.
/// </summary>
internal sealed class TokenBucket(double perSecond, int burst, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _refilledAt = clock.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond);
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }
            _tokens -= 1;
            return true;
        }
    }
}
