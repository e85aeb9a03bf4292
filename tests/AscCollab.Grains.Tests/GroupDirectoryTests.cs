namespace AscCollab.Grains.Tests;

public sealed class GroupDirectoryTests
{
    [Fact]
    public async Task A_group_lists_itself_once_when_set_up_and_a_refused_set_up_changes_nothing()
    {
        await using var host = await GrainsHost.StartAsync();
        var directory = host.Factory.GetGrain<IGroupDirectoryGrain>(IGroupDirectoryGrain.Key);
        Assert.Empty(await directory.List().Within());

        var first = await Drafts.Group(host, "MY", "MY", "SG", "TH");
        var second = await Drafts.Group(host, "PH", "PH", "VN");
        var duplicate = await Assert.ThrowsAsync<DomainException>(() => host.Group(first).SetUp(
            Callers.Chair, new GroupCharter("Again", "Again.", ["MY"], "MY", [Drafts.Activity])).Within());
        Assert.Equal(DomainErrorCodes.Conflict, duplicate.Code);
        var refused = await Assert.ThrowsAsync<DomainException>(() => host.Group("not-set-up").SetUp(
            Callers.Delegate("MY"), new GroupCharter("Mine", "Mine.", ["MY"], "MY", [Drafts.Activity])).Within());
        Assert.Equal(DomainErrorCodes.Forbidden, refused.Code);

        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), await directory.List().Within());
    }
}
