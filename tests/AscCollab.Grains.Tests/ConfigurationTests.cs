using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task The_roster_defaults_to_the_ten_members_of_2004()
    {
        await using var host = await GrainsHost.StartAsync();
        var roster = host.Services.GetRequiredService<IRoster>();
        Assert.Equal(Callers.AllMembers.Order(), roster.Members().Select(m => m.Code).Order());
        Assert.Equal("Viet Nam", (await host.Member("VN").GetInfo().Within()).Name);
    }

    [Fact]
    public async Task Adding_timor_leste_is_configuration_and_it_takes_part_in_all_member_consensus()
    {
        await using var host = await GrainsHost.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["AscCollab:Members:0:Code"] = "TL",
            ["AscCollab:Members:0:Name"] = "Timor-Leste",
        });
        Assert.Equal("Timor-Leste", (await host.Member("TL").GetInfo().Within()).Name);
        var id = await Drafts.Create(host, Callers.Delegate("TL"));
        var circulated = await Drafts.Circulate(host, id);
        Assert.Equal(11, circulated.SignOffs.Count);
        foreach (var member in Callers.AllMembers)
        {
            await Drafts.Sign(host, id, member, Position.Concur);
        }
        Assert.Equal(ProposalStatus.UnderConsideration, (await host.Proposal(id).Open(Callers.Chair).Within()).Status);
        Assert.Equal(ProposalStatus.ConsensusReached, (await Drafts.Sign(host, id, "TL", Position.Concur)).Status);
    }

    [Fact]
    public async Task Invalid_configuration_fails_at_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GrainsHost.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["AscCollab:Members:0:Code"] = "timor",
            ["AscCollab:Chairmanship:1:To"] = "2026-01-01T00:00:00Z",
        }));
        Assert.Contains(error.Failures, f => f.Contains("timor", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ends before it starts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_chairmanship_follows_the_clock()
    {
        await using var host = await GrainsHost.StartAsync();
        var chairmanship = host.Services.GetRequiredService<IChairmanship>();
        Assert.Equal("MY", chairmanship.CurrentHolder());
        Assert.Equal("TH", chairmanship.HolderAt(GrainsHost.Handover));
        Assert.Equal("MY", chairmanship.HolderAt(GrainsHost.Handover.AddTicks(-1)));
        Assert.Null(chairmanship.HolderAt(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(chairmanship.HasChairRights(Callers.Delegate("MY")));
        Assert.True(chairmanship.HasChairRights(Callers.Chair));
    }
}
