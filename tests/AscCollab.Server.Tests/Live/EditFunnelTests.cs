using System.Reflection;
using AscCollab.Grains;
using AscCollab.Testing;
using AscCollab.Text;

namespace AscCollab.Server.Tests;

/// <summary>
/// The node's edit funnel on its own: a proposal grain stand-in answers each call when the test
/// says, so which edits travel together is certain, not timing.
/// </summary>
public sealed class EditFunnelTests
{
    private const string Id = "p-aaaaaaaaaa";

    [Fact]
    public async Task Edits_that_arrive_while_a_call_is_in_flight_go_together_in_order_and_are_answered_one_by_one()
    {
        var grain = GrainCalls.Create();
        var funnel = new EditFunnel(_ => grain.Grain, () => TimeSpan.Zero);

        var first = funnel.SubmitAsync(Id, Edit("SG", 0, "a"));
        var lone = Assert.Single(grain.Calls);
        Assert.Equal(nameof(IProposalGrain.SubmitEdit), lone.Method);
        var queued = new[] { funnel.SubmitAsync(Id, Edit("PH", 0, "b")), funnel.SubmitAsync(Id, Edit("TH", 0, "c", opId: "op-1")), funnel.SubmitAsync(Id, Edit("MY", 0, "d")) };
        Assert.Single(grain.Calls);

        lone.Answer(new EditAck(1, TextOperation.Insert(0, "a")));
        Assert.Equal(1, (await first.WithTimeout()).Revision);
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 2), "the queued edits go in the next call");
        var batch = grain.Calls[1];
        Assert.Equal(nameof(IProposalGrain.SubmitEdits), batch.Method);
        Assert.Equal(["PH", "TH", "MY"], batch.Edits.Select(e => e.Caller.Member));
        Assert.Equal("op-1", batch.Edits[1].OpId);
        Assert.All(queued, t => Assert.False(t.IsCompleted));

        batch.Answer(new List<EditOutcome>
        {
            new(new EditAck(2, TextOperation.Insert(1, "b")), null),
            new(null, new DomainException(DomainErrorCodes.StaleRevision, "too far behind")),
            new(new EditAck(3, TextOperation.Insert(2, "d")), null),
        });
        Assert.Equal(2, (await queued[0].WithTimeout()).Revision);
        var refused = await Assert.ThrowsAsync<DomainException>(() => queued[1].WithTimeout());
        Assert.Equal(DomainErrorCodes.StaleRevision, refused.Code);
        Assert.Equal(3, (await queued[2].WithTimeout()).Revision);
        await Workflow.Eventually(() => Task.FromResult(funnel.ActiveLanes == 0), "an idle lane is dropped");
        Assert.Equal(2, grain.Calls.Count);
    }

    [Fact]
    public async Task A_call_that_fails_whole_fails_each_of_its_edits_and_the_next_edits_go_on()
    {
        var grain = GrainCalls.Create();
        var funnel = new EditFunnel(_ => grain.Grain, () => TimeSpan.Zero);
        var first = funnel.SubmitAsync(Id, Edit("SG", 0, "a", opId: "sg-1"));
        Assert.Equal(nameof(IProposalGrain.SubmitTrackedEdit), Assert.Single(grain.Calls).Method);
        var second = funnel.SubmitAsync(Id, Edit("PH", 0, "b"));
        var third = funnel.SubmitAsync(Id, Edit("TH", 0, "c"));

        grain.Calls[0].Fail(new TimeoutException("no answer"));
        await Assert.ThrowsAsync<TimeoutException>(() => first.WithTimeout());
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 2), "the queued edits still go");
        grain.Calls[1].Fail(new TimeoutException("no answer either"));
        await Assert.ThrowsAsync<TimeoutException>(() => second.WithTimeout());
        await Assert.ThrowsAsync<TimeoutException>(() => third.WithTimeout());

        var later = funnel.SubmitAsync(Id, Edit("MY", 0, "d"));
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 3), "a later edit gets its own call");
        grain.Calls[2].Answer(new EditAck(1, TextOperation.Insert(0, "d")));
        Assert.Equal(1, (await later.WithTimeout()).Revision);
    }

    [Fact]
    public async Task Each_proposal_has_its_own_lane_and_after_a_batch_the_next_call_waits_the_linger_for_company()
    {
        var grains = new Dictionary<string, GrainCalls> { ["p-aaaaaaaaaa"] = GrainCalls.Create(), ["p-bbbbbbbbbb"] = GrainCalls.Create() };
        var funnel = new EditFunnel(id => grains[id].Grain, () => TimeSpan.FromMilliseconds(300));
        var a1 = funnel.SubmitAsync("p-aaaaaaaaaa", Edit("SG", 0, "a"));
        var b1 = funnel.SubmitAsync("p-bbbbbbbbbb", Edit("SG", 0, "b"));
        // Another proposal's call in flight holds nothing back.
        Assert.Single(grains["p-aaaaaaaaaa"].Calls);
        Assert.Single(grains["p-bbbbbbbbbb"].Calls);
        var a2 = funnel.SubmitAsync("p-aaaaaaaaaa", Edit("PH", 0, "x"));
        var a3 = funnel.SubmitAsync("p-aaaaaaaaaa", Edit("TH", 0, "y"));
        grains["p-aaaaaaaaaa"].Calls[0].Answer(new EditAck(1, TextOperation.Insert(0, "a")));
        Assert.Equal(1, (await a1.WithTimeout()).Revision);
        await Workflow.Eventually(() => Task.FromResult(grains["p-aaaaaaaaaa"].Calls.Count == 2), "the two queued edits go");
        Assert.Equal(2, grains["p-aaaaaaaaaa"].Calls[1].Edits.Count);

        // After a call of two edits, the next waits the linger: edits sent meanwhile go with it.
        grains["p-aaaaaaaaaa"].Calls[1].Answer(new List<EditOutcome> { new(new EditAck(2, TextOperation.Insert(0, "x")), null), new(new EditAck(3, TextOperation.Insert(0, "y")), null) });
        await Task.WhenAll(a2, a3).WithTimeout();
        var a4 = funnel.SubmitAsync("p-aaaaaaaaaa", Edit("MY", 3, "z"));
        var a5 = funnel.SubmitAsync("p-aaaaaaaaaa", Edit("ID", 3, "w"));
        await Workflow.Eventually(() => Task.FromResult(grains["p-aaaaaaaaaa"].Calls.Count == 3), "the lingered call goes");
        Assert.Equal(["MY", "ID"], grains["p-aaaaaaaaaa"].Calls[2].Edits.Select(e => e.Caller.Member));
        Assert.False(b1.IsCompleted);
        Assert.False(a4.IsCompleted || a5.IsCompleted);
    }

    [Fact]
    public async Task A_lone_edit_after_a_batch_waits_the_linger_but_a_lone_edit_after_a_lone_one_does_not()
    {
        var grain = GrainCalls.Create();
        var funnel = new EditFunnel(_ => grain.Grain, () => TimeSpan.FromMilliseconds(400));
        var first = funnel.SubmitAsync(Id, Edit("SG", 0, "a"));
        var pair = new[] { funnel.SubmitAsync(Id, Edit("PH", 0, "b")), funnel.SubmitAsync(Id, Edit("TH", 0, "c")) };
        grain.Calls[0].Answer(new EditAck(1, TextOperation.Insert(0, "a")));
        await first.WithTimeout();
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 2), "the pair goes");
        grain.Calls[1].Answer(new List<EditOutcome> { new(new EditAck(2, TextOperation.Insert(0, "b")), null), new(new EditAck(3, TextOperation.Insert(0, "c")), null) });
        await Task.WhenAll(pair).WithTimeout();

        var started = TimeProvider.System.GetTimestamp();
        var lone = funnel.SubmitAsync(Id, Edit("MY", 3, "d"));
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 3), "the lone edit goes after the linger");
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(300), "the lone edit waited for company");
        Assert.Equal(nameof(IProposalGrain.SubmitEdit), grain.Calls[2].Method);
        grain.Calls[2].Answer(new EditAck(4, TextOperation.Insert(0, "d")));
        Assert.Equal(4, (await lone.WithTimeout()).Revision);

        // After a call of one edit the lane is idle at once: the next edit goes without waiting.
        await Workflow.Eventually(() => Task.FromResult(funnel.ActiveLanes == 0), "the lane is idle");
        started = TimeProvider.System.GetTimestamp();
        _ = funnel.SubmitAsync(Id, Edit("ID", 4, "e"));
        Assert.Equal(4, grain.Calls.Count);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task The_linger_ends_as_soon_as_the_writers_of_the_last_second_are_back()
    {
        var grain = GrainCalls.Create();
        var funnel = new EditFunnel(_ => grain.Grain, () => TimeSpan.FromSeconds(2));
        var first = funnel.SubmitAsync(Id, Edit("SG", 0, "a"));
        var round = new[] { funnel.SubmitAsync(Id, Edit("PH", 0, "b")), funnel.SubmitAsync(Id, Edit("TH", 0, "c")), funnel.SubmitAsync(Id, Edit("MY", 0, "d")) };
        grain.Calls[0].Answer(new EditAck(1, TextOperation.Insert(0, "a")));
        await first.WithTimeout();
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 2), "the three go together");
        grain.Calls[1].Answer(Acks(2, 3));
        await Task.WhenAll(round).WithTimeout();

        // Two of the three writers are back: the lane keeps waiting for the third.
        var started = TimeProvider.System.GetTimestamp();
        var next = new List<Task<EditAck>> { funnel.SubmitAsync(Id, Edit("PH", 4, "e")), funnel.SubmitAsync(Id, Edit("TH", 4, "f")) };
        await Task.Delay(300);
        Assert.Equal(2, grain.Calls.Count);
        // The third is back: the call goes at once, long before the 2-s linger is over.
        next.Add(funnel.SubmitAsync(Id, Edit("MY", 4, "g")));
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 3), "the round is complete");
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(1.5), "the complete round did not wait for the clock");
        Assert.Equal(["PH", "TH", "MY"], grain.Calls[2].Edits.Select(e => e.Caller.Member));
        grain.Calls[2].Answer(Acks(5, 3));
        await Task.WhenAll(next).WithTimeout();

        // A writer has gone: two come back, and after the full linger they go as a call of two.
        started = TimeProvider.System.GetTimestamp();
        var shortRound = new[] { funnel.SubmitAsync(Id, Edit("PH", 7, "h")), funnel.SubmitAsync(Id, Edit("TH", 7, "i")) };
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 4), "the short round goes after the linger", TimeSpan.FromSeconds(10));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.5), "the short round waited for the missing writer");
        grain.Calls[3].Answer(Acks(8, 2));
        await Task.WhenAll(shortRound).WithTimeout();

        // The call of three was over a second ago: the lane now expects two, and two back is a complete round.
        started = TimeProvider.System.GetTimestamp();
        _ = funnel.SubmitAsync(Id, Edit("PH", 9, "j"));
        _ = funnel.SubmitAsync(Id, Edit("TH", 9, "k"));
        await Workflow.Eventually(() => Task.FromResult(grain.Calls.Count == 5), "two back is the round expected now");
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(1.5), "the round of two did not wait for the clock");
    }

    private static List<EditOutcome> Acks(long firstRevision, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EditOutcome(new EditAck(firstRevision + i, TextOperation.Insert(0, "x")), null))];

    [Fact]
    public async Task When_no_grain_can_be_called_the_edit_is_answered_with_why_and_the_lane_is_dropped()
    {
        var funnel = new EditFunnel(_ => throw new InvalidOperationException("no grain factory"), () => TimeSpan.Zero);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => funnel.SubmitAsync(Id, Edit("SG", 0, "a")).WithTimeout());

        Assert.Equal("no grain factory", refused.Message);
        Assert.Equal(0, funnel.ActiveLanes);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(3, true)]
    [InlineData(50, true)]
    [InlineData(51, false)]
    public void The_linger_is_configured_between_0_and_50_ms(int milliseconds, bool valid)
    {
        var result = new LiveOptionsValidator().Validate(null, new LiveOptions { EditLinger = TimeSpan.FromMilliseconds(milliseconds) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Live:EditLinger must be between 0 and 50 ms.", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private static EditSubmission Edit(string member, long baseRevision, string text, string? opId = null) =>
        new(new Caller(member, CallerRole.Delegate), baseRevision, TextOperation.Insert(0, text), opId);

    /// <summary>A proposal grain whose edit calls are recorded and answered by the test; every other method throws.</summary>
    public class GrainCalls : DispatchProxy
    {
        private readonly Lock _gate = new();
        private readonly List<Call> _calls = [];

        public IReadOnlyList<Call> Calls
        {
            get
            {
                lock (_gate)
                {
                    return [.. _calls];
                }
            }
        }

        internal static GrainCalls Create() => (GrainCalls)(object)Create<IProposalGrain, GrainCalls>();

        public IProposalGrain Grain => (IProposalGrain)(object)this;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var call = targetMethod?.Name switch
            {
                nameof(IProposalGrain.SubmitEdit) => new Call(targetMethod.Name, [new EditSubmission((Caller)args![0]!, (long)args[1]!, (TextOperation)args[2]!, null)]),
                nameof(IProposalGrain.SubmitTrackedEdit) => new Call(targetMethod.Name, [new EditSubmission((Caller)args![0]!, (long)args[1]!, (TextOperation)args[2]!, (string)args[3]!)]),
                nameof(IProposalGrain.SubmitEdits) => new Call(targetMethod.Name, [.. (IReadOnlyList<EditSubmission>)args![0]!]),
                _ => throw new NotSupportedException(targetMethod?.Name),
            };
            lock (_gate)
            {
                _calls.Add(call);
            }
            return targetMethod.Name == nameof(IProposalGrain.SubmitEdits) ? call.Outcomes.Task : call.Ack.Task;
        }

        public sealed class Call(string method, IReadOnlyList<EditSubmission> edits)
        {
            public string Method { get; } = method;

            public IReadOnlyList<EditSubmission> Edits { get; } = edits;

            internal TaskCompletionSource<EditAck> Ack { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            internal TaskCompletionSource<IReadOnlyList<EditOutcome>> Outcomes { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public void Answer(EditAck ack) => Ack.SetResult(ack);

            public void Answer(IReadOnlyList<EditOutcome> outcomes) => Outcomes.SetResult(outcomes);

            public void Fail(Exception error)
            {
                Ack.TrySetException(error);
                Outcomes.TrySetException(error);
            }
        }
    }
}
