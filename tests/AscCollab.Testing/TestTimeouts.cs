using System.Diagnostics;

namespace AscCollab.Testing;

/// <summary>Every await in a test is bounded: a hang fails the test with a clear message instead of stalling the run.</summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static Task WithTimeout(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; fails naming <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Default;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition().WaitAsync(limit))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Waited {limit.TotalSeconds:F0} s for: {what}.");
    }
}
