using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>
/// The background integrity check (single key <see cref="Key"/>): every <see cref="IntegrityOptions.CheckInterval"/>
/// a durable reminder runs the full check of every proposal the progress index knows, one after the
/// other; a proposal whose history fails goes on hold and is reported (<see cref="IProposalGrain.CheckIntegrity"/>).
/// Each silo calls <see cref="Start"/> when it becomes active.
/// </summary>
[Alias("AscCollab.IIntegritySweepGrain")]
public interface IIntegritySweepGrain : IGrainWithStringKey, IRemindable
{
    public const string Key = "asc";

    /// <summary>Registers (or adjusts, or with an interval of zero removes) the sweep's reminder.</summary>
    Task Start();

    /// <summary>Runs one sweep now; answers how many proposals were checked and how many failed.</summary>
    Task<IntegritySweep> Sweep();
}

[GenerateSerializer, Immutable, Alias("AscCollab.IntegritySweep")]
public sealed record IntegritySweep(int Checked, int Failed, TimeSpan Took);

[GrainType("integrity-sweep")]
internal sealed partial class IntegritySweepGrain(IOptionsMonitor<AscCollabOptions> options, TimeProvider time, ILogger<IntegritySweepGrain> logger)
    : AscGrain, IIntegritySweepGrain
{
    private const string ReminderName = "integrity-sweep";

    /// <summary>At most this many proposals a sweep checks (the index is bounded by the progress grain's state anyway).</summary>
    private const int MaxPerSweep = 100_000;

    public async Task Start()
    {
        var interval = options.CurrentValue.Integrity.CheckInterval;
        var existing = await this.GetReminder(ReminderName);
        if (interval <= TimeSpan.Zero)
        {
            if (existing is not null)
            {
                await this.UnregisterReminder(existing);
            }
            return;
        }
        // (Re-)registered on every silo start: an interval changed in configuration takes effect, and the next sweep is one interval away.
        await this.RegisterOrUpdateReminder(ReminderName, interval, interval);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await Sweep();
        }
    }

    public async Task<IntegritySweep> Sweep()
    {
        var started = time.GetTimestamp();
        var secretariat = new Caller(options.CurrentValue.SecretariatCode, CallerRole.Secretariat);
        var proposals = await GrainFactory.GetGrain<IProgressGrain>(IProgressGrain.Key).ListProposals(secretariat);
        int checkedCount = 0, failed = 0;
        foreach (var summary in proposals.Take(MaxPerSweep))
        {
            try
            {
                var result = await GrainFactory.GetGrain<IProposalGrain>(summary.ProposalId).CheckIntegrity();
                failed += result.Intact ? 0 : 1;
            }
            catch (Exception ex)
            {
                failed++;
                LogCheckFailed(logger, summary.ProposalId, ex);
            }
            checkedCount++;
        }
        var took = time.GetElapsedTime(started);
        LogSwept(logger, checkedCount, failed, took.TotalMilliseconds);
        return new IntegritySweep(checkedCount, failed, took);
    }

    [LoggerMessage(EventId = 1710, Level = LogLevel.Information, Message = "Integrity sweep: {Checked} proposal(s) checked, {Failed} failed, in {Milliseconds:0} ms.")]
    private static partial void LogSwept(ILogger logger, int @checked, int failed, double milliseconds);

    [LoggerMessage(EventId = 1711, Level = LogLevel.Error, Message = "Integrity sweep: proposal {Proposal} could not be checked.")]
    private static partial void LogCheckFailed(ILogger logger, string proposal, Exception exception);
}

/// <summary>Starts the sweep's reminder when the silo becomes active (idempotent across silos and restarts).</summary>
internal sealed partial class IntegritySweepStarter(IGrainFactory grains, ILogger<IntegritySweepStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(IntegritySweepStarter), ServiceLifecycleStage.Active, OnActive);

    private Task OnActive(CancellationToken cancellationToken)
    {
        // Not awaited: the reminder service may still be settling; the silo's start does not wait for it.
        _ = Task.Run(async () =>
        {
            for (var attempt = 1; attempt <= 10 && !cancellationToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await grains.GetGrain<IIntegritySweepGrain>(IIntegritySweepGrain.Key).Start();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogStartFailed(logger, attempt, ex);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), CancellationToken.None);
                }
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1712, Level = LogLevel.Warning, Message = "Integrity sweep: starting its reminder failed (attempt {Attempt}).")]
    private static partial void LogStartFailed(ILogger logger, int attempt, Exception exception);
}

internal static class IntegritySweepRegistration
{
    public static IServiceCollection AddIntegritySweep(this IServiceCollection services) =>
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, IntegritySweepStarter>();
}
