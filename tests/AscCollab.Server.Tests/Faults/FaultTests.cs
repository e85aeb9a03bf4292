using Xunit.Abstractions;

namespace AscCollab.Server.Tests;

/// <summary>
/// Issue 12 §5: three delegations type (and sign off now and then) against a real server process on an
/// Azurite of the test's own while storage stalls, storage crashes, the server crashes, or both crash.
/// Each run then checks storage against what the typists were acknowledged: every acknowledged edit and
/// sign-off stored exactly once, every edit at the revision acknowledged. Where a loss is legitimate
/// (Azurite and the node dying together: docs/storage.md), every lost acknowledgement must have been
/// reported to its typist with revision_lost. Bounded: a few hundred edits, minutes at most; only the
/// PIDs these tests started are signalled. In the Azurite collection so they run one at a time.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int EditBound = 400;
    // Azurite saves every 5 s: what was set up before the first fault is on disk by then.
    private static readonly TimeSpan BeforeFirstFault = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Azurite_stalled_for_10_and_35_seconds_while_delegations_type_loses_and_changes_nothing_acknowledged()
    {
        await using var run = await FaultRun.StartAsync("Typing through storage stalls");
        run.StartTyping(EditBound);
        await Task.Delay(BeforeFirstFault);

        foreach (var stall in new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(35) })
        {
            run.Azurite.Pause();
            await Task.Delay(stall);
            run.Azurite.Resume();
            await run.WaitForAcksAsync(15, $"typing goes on after a {stall.TotalSeconds} s stall");
        }

        await run.StopTypingAsync();
        Assert.Equal(0, await run.VerifyAsync());
        Assert.All(run.Typists, t => Assert.Null(t.Lost));
    }

    [Fact]
    public async Task Azurite_killed_and_restarted_on_its_folder_while_the_server_lives_loses_nothing_acknowledged()
    {
        await using var run = await FaultRun.StartAsync("Typing through a storage crash");
        run.StartTyping(EditBound);
        await Task.Delay(BeforeFirstFault);

        run.Azurite.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await run.Azurite.RestartAsync();
        await run.WaitForAcksAsync(20, "typing goes on after Azurite came back from its last save");

        await run.StopTypingAsync();
        Assert.Equal(0, await run.VerifyAsync());
        Assert.All(run.Typists, t => Assert.Null(t.Lost));
        // Whether Azurite lost anything depends on where in its 5 s save cycle it died; when it did, the node wrote it again.
        output.WriteLine(run.Node.Output().Contains("Storage repaired", StringComparison.Ordinal) ? "Azurite came back behind; the node repaired it (3105)." : "Azurite came back with everything (killed just after a save).");
    }

    [Fact]
    public async Task Azurite_and_the_server_killed_together_report_every_lost_acknowledgement_to_its_client()
    {
        await using var run = await FaultRun.StartAsync("Storage and node crash together");
        run.StartTyping(EditBound);
        await Task.Delay(BeforeFirstFault);

        // The window docs/storage.md admits: storage loses its last seconds and no node holds them.
        run.Azurite.Kill();
        run.KillNode();
        await run.Azurite.RestartAsync();
        await run.RestartNodeAsync();
        var counts = run.Typists.ToDictionary(t => t, t => t.Acknowledged.Count);
        await TestTimeouts.UntilAsync(() => Task.FromResult(run.Typists.All(t => t.Lost is not null || t.Acknowledged.Count >= counts[t] + 3)),
            "every typist was told revision_lost or goes on typing", TimeSpan.FromSeconds(150));

        await run.StopTypingAsync();
        var missing = await run.VerifyAsync(lossDetected: true);
        output.WriteLine($"{run.Typists.Sum(t => t.Acknowledged.Count + t.SignedOff.Count)} acknowledged, {missing} lost with storage, {run.Typists.Count(t => t.Lost is not null)} typist(s) told revision_lost");
        if (missing > 0)
        {
            // The loss is also on the server's record (Critical, event 3108), not only in the clients: an
            // integrity incident, so /health says degraded until the secretariat acknowledges it.
            Assert.Contains("lost acknowledged changes", run.Node.Output(), StringComparison.Ordinal);
            Assert.Equal("degraded", (await run.Node.HealthAsync())?["status"]?.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_server_killed_and_restarted_while_delegations_type_loses_and_changes_nothing_acknowledged()
    {
        await using var run = await FaultRun.StartAsync("Typing through a server crash");
        run.StartTyping(EditBound);
        await Task.Delay(BeforeFirstFault);

        run.KillNode();
        await run.RestartNodeAsync();
        await run.WaitForAcksAsync(20, "typing goes on through the restarted server");

        await run.StopTypingAsync();
        Assert.Equal(0, await run.VerifyAsync());
        Assert.All(run.Typists, t => Assert.Null(t.Lost));
    }
}
