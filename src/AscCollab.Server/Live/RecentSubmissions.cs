using System.Collections.Concurrent;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>
/// Edits submitted with a client op id, for a few minutes: a client that lost its connection (and
/// with it the ack) sends the op again with the same id after reconnecting, and gets the first
/// submission's outcome instead of a duplicate — even while the first is still being committed.
/// In memory, per process: after a restart the client finds its committed op in GetEditsSince (docs/hub.md).
/// </summary>
internal sealed class RecentSubmissions(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<(string Member, string ProposalId, string OpId), Entry> _entries = new();
    private int _added;

    /// <summary>The outcome of the first submission under this key, starting it when there is none (or it failed).</summary>
    public Task<EditAck> GetOrSubmit(string member, string proposalId, string opId, Func<Task<EditAck>> submit)
    {
        var key = (member, proposalId, opId);
        var now = clock.GetTimestamp();
        var entry = _entries.AddOrUpdate(
            key,
            _ => new Entry(new Lazy<Task<EditAck>>(submit), now),
            (_, existing) => existing.Submission.IsValueCreated && existing.Submission.Value.IsFaulted ? new Entry(new Lazy<Task<EditAck>>(submit), now) : existing);
        if (Interlocked.Increment(ref _added) % SweepEvery == 0)
        {
            Sweep();
        }
        return entry.Submission.Value;
    }

    private void Sweep()
    {
        foreach (var (key, entry) in _entries)
        {
            if (clock.GetElapsedTime(entry.At) > Lifetime)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(Lazy<Task<EditAck>> Submission, long At);
}
