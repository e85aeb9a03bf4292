namespace AscCollab.Runtime.Tests;

public sealed class StateTests
{
    [Fact]
    public async Task State_is_written_under_its_etag_and_survives_a_host_restart()
    {
        var storage = new MemoryGrainStorage();
        await using (var first = await TestRuntime.StartAsync(storage: storage))
        {
            var grain = first.Grains.GetGrain<IStateGrain>("s");
            await grain.Add(2).Within();
            await grain.Add(3).Within();
        }

        await using var second = await TestRuntime.StartAsync(storage: storage);
        Assert.Equal(5, await second.Grains.GetGrain<IStateGrain>("s").Total().Within());
        var stored = await storage.ReadStateAsync(new GrainId("state", "s"), "tally", default);
        Assert.Contains("\"total\":5", stored!.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_etag_from_a_second_runtime_is_rejected_and_the_activation_reloads()
    {
        var storage = new MemoryGrainStorage();
        await using var one = await TestRuntime.StartAsync(storage: storage);
        await using var two = await TestRuntime.StartAsync(storage: storage);
        var inOne = one.Grains.GetGrain<IStateGrain>("shared");
        var inTwo = two.Grains.GetGrain<IStateGrain>("shared");

        Assert.Equal(1, await inOne.Add(1).Within());
        Assert.Equal(11, await inTwo.Add(10).Within());

        // Runtime one still holds total 1 under the old ETag: its write must fail, not overwrite 11.
        await Assert.ThrowsAsync<InconsistentStateException>(() => inOne.Add(5).Within());
        var stored = await storage.ReadStateAsync(new GrainId("state", "shared"), "tally", default);
        Assert.Contains("\"total\":11", stored!.Json, StringComparison.Ordinal);

        await Bounded.Until(() => one.Probe.Deactivations.Contains(("shared", DeactivationReason.InconsistentState)), "the stale activation deactivated");
        Assert.Equal(11, await inOne.Total().Within());
        Assert.Equal(16, await inOne.Add(5).Within());
        Assert.Equal(2, one.Probe.ActivationsOf("shared"));
    }

    [Fact]
    public async Task Logged_state_appends_rows_with_the_state_and_refuses_an_existing_row()
    {
        var storage = new MemoryGrainStorage();
        await using var runtime = await TestRuntime.StartAsync(storage: storage);
        var grain = runtime.Grains.GetGrain<IStateGrain>("log");

        await grain.Append("a", 1).Within();
        await grain.Append("b", 2).Within();
        var before = await storage.ReadStateAsync(new GrainId("state", "log"), "tally", default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Append("c", 2).Within());

        var after = await storage.ReadStateAsync(new GrainId("state", "log"), "tally", default);
        Assert.Equal(before, after);
        Assert.Equal(["\"a\"", "\"b\""], await grain.Log(1, 10).Within());
    }

    [Fact]
    public async Task Clear_removes_the_state_and_a_later_write_starts_fresh()
    {
        var storage = new MemoryGrainStorage();
        await using var runtime = await TestRuntime.StartAsync(storage: storage);
        var grain = runtime.Grains.GetGrain<IStateGrain>("clear");
        await grain.Add(4).Within();

        await grain.Clear().Within();

        Assert.Null(await storage.ReadStateAsync(new GrainId("state", "clear"), "tally", default));
        Assert.Equal(0, await grain.Total().Within());
        Assert.Equal(1, await grain.Add(1).Within());
    }
}

public sealed class MemoryGrainStorageTests
{
    private static readonly GrainId Id = new("t", "k");

    [Fact]
    public async Task A_write_needs_the_current_etag_and_null_means_must_not_exist()
    {
        var storage = new MemoryGrainStorage();
        var etag = await storage.WriteStateAsync(Id, "s", "{}", null, [], default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(Id, "s", "{\"x\":1}", null, [], default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(Id, "s", "{\"x\":1}", "bogus", [], default));
        var next = await storage.WriteStateAsync(Id, "s", "{\"x\":2}", etag, [], default);

        Assert.NotEqual(etag, next);
        Assert.Equal(new StoredState("{\"x\":2}", next), await storage.ReadStateAsync(Id, "s", default));
    }

    [Fact]
    public async Task An_existing_or_duplicated_log_row_fails_the_whole_write()
    {
        var storage = new MemoryGrainStorage();
        var etag = await storage.WriteStateAsync(Id, "s", "1", null, [new LogEntry("op", 1, "a")], default);

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(Id, "s", "2", etag, [new LogEntry("op", 2, "b"), new LogEntry("op", 1, "again")], default));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(Id, "s", "2", etag, [new LogEntry("op", 3, "c"), new LogEntry("op", 3, "c")], default));

        Assert.Equal(new StoredState("1", etag), await storage.ReadStateAsync(Id, "s", default));
        Assert.Equal([new LogEntry("op", 1, "a")], await storage.ReadLogAsync(Id, "op", 0, 100, default));
    }

    [Fact]
    public async Task Clear_checks_the_etag_and_keeps_the_log()
    {
        var storage = new MemoryGrainStorage();
        var etag = await storage.WriteStateAsync(Id, "s", "1", null, [new LogEntry("op", 1, "a")], default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(Id, "s", "stale", default));
        await storage.ClearStateAsync(Id, "s", etag, default);

        Assert.Null(await storage.ReadStateAsync(Id, "s", default));
        Assert.Single(await storage.ReadLogAsync(Id, "op", 1, 1, default));
    }
}
