using System.Collections.Concurrent;
using Orleans.Hosting;

namespace AscCollab.Grains.Tests;

/// <summary>
/// Counts edits that reached a proposal grain and were accepted into its sequence (or refused): an
/// incoming call filter notes the call once the grain method has run up to its first await, which
/// for an edit is the wait for its group commit. Lets a test queue edits behind a held write in a
/// known order, where calls from a client would otherwise race each other to the grain.
/// </summary>
internal sealed class EditArrivals
{
    private readonly ConcurrentDictionary<GrainId, int> _counts = new();

    public int Of(GrainId grain) => _counts.GetValueOrDefault(grain);

    public void Register(ISiloBuilder silo) => silo.AddIncomingGrainCallFilter(async context =>
    {
        if (context.InterfaceMethod?.Name is nameof(IProposalGrain.SubmitEdit) or nameof(IProposalGrain.SubmitTrackedEdit))
        {
            var invoked = context.Invoke();
            _counts.AddOrUpdate(context.TargetId, 1, (_, n) => n + 1);
            await invoked;
        }
        else
        {
            await context.Invoke();
        }
    });
}
