namespace AscCollab.Server;

/// <summary>
/// A token bucket refilled lazily from the clock on each take, so idle connections cost no timer.
/// A mutable struct held in a field of its <see cref="LiveConnection"/>, which serialises the takes
/// (one connection's calls may run concurrently when the client does not await them): three
/// buckets per connection then cost no objects of their own.
/// </summary>
internal struct TokenBucket(double perSecond, int burst, long now)
{
    private double _tokens = burst;
    private long _refilledAt = now;

    public bool TryTake(TimeProvider clock)
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
