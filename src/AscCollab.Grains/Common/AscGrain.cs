using Orleans;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>
/// Base of AscCollab's grains: the string key, events for the live feed, and one-shot reminders
/// on Orleans' periodic ones (a deadline reminder re-registers or unregisters itself when it fires).
/// </summary>
public abstract class AscGrain : Grain
{
    /// <summary>Orleans' smallest reminder period; a one-shot reminder unregisters itself before it comes round.</summary>
    internal static readonly TimeSpan OneShotPeriod = TimeSpan.FromMinutes(1);

    /// <summary>This grain's key (ISO code, slug, generated id).</summary>
    protected string GrainKey => this.GetPrimaryKeyString();

    /// <summary>Hands <paramref name="evt"/> to the live feed, which pushes it to every node (one-way: never blocks the turn).</summary>
    protected void Publish(IAudienceEvent evt) => GrainFactory.GetGrain<ILiveFeedGrain>(ILiveFeedGrain.Key).Publish(evt).Ignore();

    protected Task RegisterOrUpdateReminderAsync(string name, TimeSpan dueTime) =>
        this.RegisterOrUpdateReminder(name, dueTime, OneShotPeriod);

    protected async Task UnregisterReminderAsync(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
