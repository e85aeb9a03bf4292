namespace AscCollab.Grains.Tests;

internal static class Timeouts
{
    public static readonly TimeSpan Call = TimeSpan.FromSeconds(20);

    /// <summary>Starting or stopping a test cluster (a noisy 2-core machine runs several at once).</summary>
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(60);

    /// <summary>Every await in these tests is bounded.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Call);

    public static Task Within(this Task task) => task.WaitAsync(Call);

    /// <summary>Polls (bounded in count and time) until <paramref name="condition"/> holds; one-way notes arrive asynchronously.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition().Within())
            {
                return;
            }
            await Task.Delay(25);
        }
        Assert.Fail($"Timed out waiting until {what}.");
    }
}
