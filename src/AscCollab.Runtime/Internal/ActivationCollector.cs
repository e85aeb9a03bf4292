using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AscCollab.Runtime;

/// <summary>Every CollectionInterval, deactivates activations idle for at least CollectionAge.</summary>
internal sealed class ActivationCollector(
    ActivationDirectory directory,
    IOptions<GrainRuntimeOptions> options,
    TimeProvider time,
    ILogger<ActivationCollector> logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.CollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                CollectIdle();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public int CollectIdle()
    {
        var idleBefore = time.GetUtcNow() - options.Value.CollectionAge;
        var collected = directory.All.Count(activation => activation.TryCollect(idleBefore));
        if (collected > 0)
        {
            RuntimeLog.IdleCollected(logger, collected);
        }

        return collected;
    }
}
