using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>
/// Proposal grain references kept per grain factory, so the hub and the publisher do not resolve
/// the grain interface on every call (<c>GetGrain</c> maps the interface to its grain type and builds a
/// reference each time; issue 15's profile put it on every <c>SubmitEdit</c>). A reference is an
/// immutable address: keeping one changes nothing about activation or placement. At most
/// <see cref="Capacity"/> per factory; past that the cache starts over.
/// </summary>
internal static class ProposalGrainReferences
{
    public const int Capacity = 10_000;

    private static readonly ConditionalWeakTable<IGrainFactory, ConcurrentDictionary<string, IProposalGrain>> ByFactory = [];

    public static IProposalGrain Proposal(this IGrainFactory grains, string proposalId)
    {
        var cache = ByFactory.GetValue(grains, static _ => new ConcurrentDictionary<string, IProposalGrain>(StringComparer.Ordinal));
        if (cache.TryGetValue(proposalId, out var grain))
        {
            return grain;
        }
        if (cache.Count >= Capacity)
        {
            cache.Clear();
        }
        return cache.GetOrAdd(proposalId, static (id, factory) => factory.GetGrain<IProposalGrain>(id), grains);
    }
}
