using Xunit.Abstractions;
namespace AscCollab.Grains.Tests;

public sealed class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Debug_reminder()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id, ConsensusRuleKind.SilenceProcedure, deadline: host.Time.GetUtcNow() + TimeSpan.FromDays(7));
        foreach (var r in await host.Reminders.ReadAllAsync(default)) output.WriteLine($"{r}");
        host.Time.Advance(TimeSpan.FromDays(7.1));
        await Task.Delay(500);
        foreach (var r in await host.Reminders.ReadAllAsync(default)) output.WriteLine($"after {r}");
        output.WriteLine((await host.Proposal(id).Open(Callers.Chair)).Status.ToString());
    }
}
