namespace AscCollab.Storage.AzureTable.Tests;

[Collection(AzuriteFixture.Collection)]
public sealed class ReminderTableTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly AzureTableReminderTable _table = StorageFactory.Reminders(azurite);

    [Fact]
    public async Task An_empty_table_reads_as_empty()
    {
        Assert.Empty(await _table.ReadAllAsync(None).WithTimeout());
    }

    [Fact]
    public async Task Reminders_are_created_updated_read_and_removed()
    {
        var grain = StorageFactory.NewGrain("proposal");
        var other = StorageFactory.NewGrain("group");
        var start = new DateTimeOffset(2026, 11, 23, 1, 2, 3, TimeSpan.FromHours(7)).AddTicks(1234567);

        await _table.UpsertAsync(new ReminderEntry(grain, "deadline", start, null), None).WithTimeout();
        await _table.UpsertAsync(new ReminderEntry(grain, "digest/daily?#", start, TimeSpan.FromHours(24)), None).WithTimeout();
        await _table.UpsertAsync(new ReminderEntry(other, "deadline", start, TimeSpan.FromMinutes(5)), None).WithTimeout();

        var all = await _table.ReadAllAsync(None).WithTimeout();
        Assert.Equal(3, all.Count);
        var deadline = Assert.Single(all, r => r.GrainId == grain && r.Name == "deadline");
        Assert.Equal(start, deadline.StartAt);
        Assert.Equal(start.UtcTicks, deadline.StartAt.UtcTicks);
        Assert.Null(deadline.Period);
        Assert.False(string.IsNullOrEmpty(deadline.ETag));
        Assert.Equal(TimeSpan.FromHours(24), Assert.Single(all, r => r.Name == "digest/daily?#").Period);

        await _table.UpsertAsync(new ReminderEntry(grain, "deadline", start.AddDays(1), TimeSpan.FromMinutes(1)), None).WithTimeout();
        await _table.RemoveAsync(other, "deadline", None).WithTimeout();

        all = await _table.ReadAllAsync(None).WithTimeout();
        Assert.Equal(2, all.Count);
        var updated = Assert.Single(all, r => r.Name == "deadline");
        Assert.Equal((start.AddDays(1), TimeSpan.FromMinutes(1)), (updated.StartAt, updated.Period));
    }

    [Fact]
    public async Task Removing_a_missing_reminder_succeeds()
    {
        await _table.RemoveAsync(StorageFactory.NewGrain(), "never-registered", None).WithTimeout();
    }

    [Fact]
    public async Task A_non_positive_period_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            _table.UpsertAsync(new ReminderEntry(StorageFactory.NewGrain(), "r", DateTimeOffset.UtcNow, TimeSpan.Zero), None).WithTimeout());
        Assert.Empty(await _table.ReadAllAsync(None).WithTimeout());
    }
}
