using AscCollab.Grains;
using AscCollab.Testing;
using AscCollab.Text;

namespace AscCollab.Server.Tests;

/// <summary>The presence room and the token bucket on their own (no host).</summary>
public sealed class ProposalRoomTests
{
    private static readonly LiveOptions Options = new();

    [Fact]
    public void A_late_cursor_is_brought_forward_through_the_edits_after_its_revision()
    {
        var room = new ProposalRoom("p-aaaaaaaaaa", history: 2);
        var a = Connection("a", "MY");
        room.Add(a);
        room.Confirm("a", 10);
        room.RecordEdit(11, TextOperation.Insert(0, "abc"));
        room.RecordEdit(12, TextOperation.Delete(0, 1));

        Assert.True(room.SetCursor("a", 10, new CursorRange(5, 7)));
        Assert.Equal(new CursorView(7, 9, 12), room.Presence(64, DateTimeOffset.MinValue).Editors.Single().Cursor);

        // Kept current as edits commit.
        room.RecordEdit(13, TextOperation.Insert(0, "x"));
        Assert.Equal(new CursorView(8, 10, 13), room.Presence(64, DateTimeOffset.MinValue).Editors.Single().Cursor);

        // Older than the history the room keeps: refused, the cursor stays.
        Assert.False(room.SetCursor("a", 10, new CursorRange(0, 0)));
        Assert.Equal(new CursorView(8, 10, 13), room.Presence(64, DateTimeOffset.MinValue).Editors.Single().Cursor);
    }

    [Fact]
    public void Pushes_skip_the_author_and_what_a_snapshot_already_held_and_presence_hides_unconfirmed_connections()
    {
        var room = new ProposalRoom("p-aaaaaaaaaa", history: 8);
        room.Add(Connection("author", "MY"));
        room.Add(Connection("reader", "TH"));
        room.Add(Connection("late", "ID"));
        room.Confirm("author", 3);
        room.Confirm("reader", 3);
        room.Confirm("late", 5);
        room.Add(Connection("checking", "VN"));

        Assert.Equal(["checking", "reader"], room.Recipients(_ => true, except: "author", revision: 4).Order(StringComparer.Ordinal));
        Assert.Equal(["checking", "late", "reader"], room.Recipients(_ => true, except: "author", revision: 6).Order(StringComparer.Ordinal));
        Assert.Equal(["author", "late", "reader"], room.Recipients(_ => true, visibleOnly: true).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(room.Presence(64, DateTimeOffset.MinValue).Editors, e => e.ConnectionId == "checking");
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(room.TakePresenceChange(now, TimeSpan.FromMilliseconds(100), 100));
        Assert.False(room.TakePresenceChange(now, TimeSpan.FromMilliseconds(100), 100));
    }

    [Fact]
    public void Presence_stays_small_in_a_big_room_and_is_pushed_less_often()
    {
        var room = new ProposalRoom("p-aaaaaaaaaa", history: 8);
        for (var i = 0; i < 250; i++)
        {
            var id = $"c{i:D3}";
            room.Add(Connection(id, i % 2 == 0 ? "MY" : "TH"));
            room.Confirm(id, 1);
        }
        Assert.True(room.SetCursor("c249", 1, new CursorRange(0, 0)));

        var presence = room.Presence(10, DateTimeOffset.MinValue);
        Assert.Equal(10, presence.Editors.Count);
        Assert.Equal("c249", presence.Editors[0].ConnectionId);
        Assert.Equal(250, presence.Total);
        Assert.Equal([new MemberPresence("MY", 125), new MemberPresence("TH", 125)], presence.Members);

        // 250 connections, a step of 100: after a push, the next waits two intervals more.
        var interval = TimeSpan.FromMilliseconds(100);
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(room.TakePresenceChange(now, interval, 100));
        room.SetCursor("c000", 1, new CursorRange(1, 1));
        Assert.False(room.TakePresenceChange(now + interval, interval, 100));
        Assert.True(room.TakePresenceChange(now + (interval * 2), interval, 100));
    }

    [Fact]
    public void The_recipient_list_answers_contains_by_hash_and_keeps_order()
    {
        var list = new ConnectionIdList(["b", "a", "c"]);
        ICollection<string> collection = list;
        Assert.True(collection.Contains("a"));
        Assert.False(collection.Contains("d"));
        Assert.Equal(["b", "a", "c"], list);
        Assert.Equal("c", list[2]);
        Assert.Throws<NotSupportedException>(() => collection.Add("x"));
    }

    [Fact]
    public async Task An_ack_waits_until_its_revision_was_pushed()
    {
        var room = new ProposalRoom("p-aaaaaaaaaa", history: 8);
        var waiting = room.WaitDispatchedAsync(7, TimeSpan.FromSeconds(10));
        room.MarkDispatched(6);
        Assert.False(waiting.IsCompleted);
        room.MarkDispatched(7);
        Assert.True(await waiting.WithTimeout());
        Assert.True(await room.WaitDispatchedAsync(5, TimeSpan.FromSeconds(10)).WithTimeout());
        Assert.False(await room.WaitDispatchedAsync(9, TimeSpan.FromMilliseconds(20)).WithTimeout());
    }

    [Fact]
    public void The_token_bucket_allows_its_burst_then_its_rate()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(perSecond: 10, burst: 3, clock.GetTimestamp());
        Assert.True(bucket.TryTake(clock) && bucket.TryTake(clock) && bucket.TryTake(clock));
        Assert.False(bucket.TryTake(clock));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake(clock));
        Assert.False(bucket.TryTake(clock));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(bucket.TryTake(clock) && bucket.TryTake(clock) && bucket.TryTake(clock));
        Assert.False(bucket.TryTake(clock));
    }

    private static LiveConnection Connection(string id, string member) =>
        new(id, new Caller(member, CallerRole.Delegate), Options, TimeProvider.System, new MemberLimits(Options, TimeProvider.System.GetTimestamp()));

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
