namespace AscCollab.Grains.Tests;

public sealed class IntegrityRegistryTests
{
    private static IntegrityReport Lost(string location) =>
        new(IntegrityIncidentKinds.StorageLost, "p-aaaaaaaaaa", location, "storage is behind revision 630", "test");

    [Fact]
    public async Task An_incident_is_kept_counted_pushed_logged_critical_and_acknowledged_only_by_the_secretariat()
    {
        await using var host = await GrainsHost.StartAsync();
        var registry = host.Factory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key);
        Assert.Equal(0, (await registry.Status().Within()).Open);

        var first = await registry.Report(Lost("revision 630")).Within();
        var again = await registry.Report(Lost("revision 630")).Within();
        var other = await registry.Report(Lost("revision 700")).Within();
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.Occurrences);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains($"Integrity incident {first.Id}:", StringComparison.Ordinal));
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<IntegrityIncidentChanged>().Any(e => e.Incident.Id == other.Id)), "the incident is pushed");
        Assert.Equal(Audience.ChairAndSecretariat, host.EventsOf<IntegrityIncidentChanged>()[0].Audience);

        var status = await registry.Status().Within();
        Assert.Equal(2, status.Open);
        Assert.Equal([IntegrityIncidentKinds.StorageLost], status.OpenKinds);

        var listed = await registry.List(Callers.Chair).Within();
        Assert.Equal([other.Id, first.Id], listed.Select(i => i.Id));
        var refused = await Assert.ThrowsAsync<DomainException>(() => registry.List(Callers.Delegate("SG")));
        Assert.Equal(DomainErrorCodes.Forbidden, refused.Code);
        refused = await Assert.ThrowsAsync<DomainException>(() => registry.Acknowledge(Callers.Chair, first.Id, "seen"));
        Assert.Equal(DomainErrorCodes.Forbidden, refused.Code);
        refused = await Assert.ThrowsAsync<DomainException>(() => registry.Acknowledge(Callers.Secretariat, first.Id, " "));
        Assert.Equal(DomainErrorCodes.InvalidInput, refused.Code);
        refused = await Assert.ThrowsAsync<DomainException>(() => registry.Acknowledge(Callers.Secretariat, "i-999", "seen"));
        Assert.Equal(DomainErrorCodes.NotFound, refused.Code);
        refused = await Assert.ThrowsAsync<DomainException>(() => registry.Report(Lost("x") with { Kind = "Storage Lost" }));
        Assert.Equal(DomainErrorCodes.InvalidInput, refused.Code);

        var acknowledged = await registry.Acknowledge(Callers.Secretariat, first.Id, "Azurite restarted; re-applied by delegations").Within();
        Assert.False(acknowledged.Open);
        Assert.Equal("ASEC", acknowledged.Acknowledgement!.Member);
        refused = await Assert.ThrowsAsync<DomainException>(() => registry.Acknowledge(Callers.Secretariat, first.Id, "again"));
        Assert.Equal(DomainErrorCodes.InvalidTransition, refused.Code);
        Assert.Equal(1, (await registry.Status().Within()).Open);

        // Reported again after the acknowledgement: a new incident.
        var later = await registry.Report(Lost("revision 630")).Within();
        Assert.NotEqual(first.Id, later.Id);
    }

    [Fact]
    public async Task An_incident_that_holds_a_proposal_is_acknowledged_through_the_proposal_and_survives_a_restart()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var registry = host.Factory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key);
            id = (await registry.Report(Lost("audit 4") with { Kind = IntegrityIncidentKinds.ChainBroken, Holds = true }).Within()).Id;
            var refused = await Assert.ThrowsAsync<DomainException>(() => registry.Acknowledge(Callers.Secretariat, id, "seen"));
            Assert.Equal(DomainErrorCodes.InvalidTransition, refused.Code);
            Assert.Contains("/integrity/acknowledge", refused.Message, StringComparison.Ordinal);
        }
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var registry = host.Factory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key);
            var status = await registry.Status().Within();
            Assert.Equal(["p-aaaaaaaaaa"], status.ProposalsOnHold);
            var done = await registry.AcknowledgeProposal("p-aaaaaaaaaa", new IntegrityAcknowledgement("ASEC", CallerRole.Secretariat, "checked", GrainsHost.Start)).Within();
            Assert.Equal([id], done.Select(i => i.Id));
            Assert.Equal(0, (await registry.Status().Within()).Open);
        }
    }
}
