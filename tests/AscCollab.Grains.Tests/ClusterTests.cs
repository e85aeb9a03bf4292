using System.Collections.Concurrent;
using AscCollab.Text;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Grains.Tests;

/// <summary>Behaviour across silos: edits made through one silo reach observers created on another and on a client.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Edits_through_one_silo_reach_an_observer_on_another_silo_and_the_client_each_exactly_once()
    {
        await using var host = await GrainsHost.StartAsync(silos: 2);
        Assert.Equal(2, host.Cluster.Silos.Count);
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
        var silo1 = host.Cluster.Silos[0].SiloHost.Services.GetRequiredService<IGrainFactory>();
        var silo2 = host.Cluster.Silos[1].SiloHost.Services.GetRequiredService<IGrainFactory>();

        var onSilo2 = new Collector();
        var observer = silo2.CreateObjectReference<ILiveObserver>(onSilo2);
        await silo2.GetGrain<IProposalGrain>(id).Watch(observer).Within();

        var proposal = silo1.GetGrain<IProposalGrain>(id);
        const int Edits = 12;
        var text = "";
        for (var i = 0; i < Edits; i++)
        {
            var member = Callers.AllMembers[i % Callers.AllMembers.Length];
            var ack = await proposal.SubmitEdit(Callers.Delegate(member), i, TextOperation.Insert(text.Length, $"{i};")).Within();
            Assert.Equal(i + 1, ack.Revision);
            text = ack.Op.Apply(text);
        }
        // Some concurrent ones too: they share commits.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => proposal.SubmitEdit(Callers.Delegate("PH"), Edits, TextOperation.Insert(0, $"c{i}")))).Within();
        var final = await proposal.Open(Callers.Chair).Within();
        Assert.Equal(Edits + 6, final.Revision);

        foreach (var (events, where) in new[] { (onSilo2.Edits(id), "silo 2"), ((Func<IReadOnlyList<EditCommitted>>)(() => [.. host.EventsOf<EditCommitted>().Where(e => e.ProposalId == id)]), "the client") })
        {
            await Timeouts.Eventually(() => Task.FromResult(events().Count >= final.Revision), $"every edit reaches {where}");
            var received = events();
            // Every revision exactly once; applied in revision order they rebuild the committed text.
            // Arrival order is NOT asserted: Orleans does not keep the order of one-way notifications to an
            // observer (seen here even for commits awaited one by one), so nodes and clients order by revision.
            var byRevision = received.OrderBy(e => e.Revision).ToList();
            Assert.Equal(Enumerable.Range(1, (int)final.Revision).Select(r => (long)r), byRevision.Select(e => e.Revision));
            Assert.Equal(final.Text, byRevision.Aggregate("", (doc, e) => e.Op.Apply(doc)));
        }
        GC.KeepAlive(onSilo2);
    }

    private sealed class Collector : ILiveObserver
    {
        private readonly ConcurrentQueue<IAudienceEvent> _events = new();

        public Func<IReadOnlyList<EditCommitted>> Edits(string id) => () => [.. _events.OfType<EditCommitted>().Where(e => e.ProposalId == id)];

        public Task OnEvent(IAudienceEvent evt)
        {
            _events.Enqueue(evt);
            foreach (var edit in (evt as EditsCommitted)?.Edits ?? [])
            {
                _events.Enqueue(edit);
            }
            return Task.CompletedTask;
        }
    }
}
