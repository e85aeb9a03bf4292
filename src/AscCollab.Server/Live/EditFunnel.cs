using System.Collections.Concurrent;
using AscCollab.Grains;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// This node's edits to one proposal go to its grain through one lane: while a call is in flight,
/// the edits that arrive queue, and the next call takes them all (at most
/// <see cref="IProposalGrain.MaxEditsPerCall"/>) in one <see cref="IProposalGrain.SubmitEdits"/>.
/// The grain would queue them behind the write in flight anyway (group commit); here they also
/// share one grain call, one message each way and one wake-up instead of one per edit. A lone edit
/// goes as <see cref="IProposalGrain.SubmitEdit"/> / <see cref="IProposalGrain.SubmitTrackedEdit"/>,
/// at once. Each edit is answered on its own: a refusal of one changes nothing for the others, and a
/// call that fails as a whole (timeout, node lost) fails each of its edits with that error.
/// </summary>
internal sealed class EditFunnel
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Func<string, IProposalGrain> _grainOf;
    private readonly Func<TimeSpan> _linger;

    public EditFunnel(IGrainFactory grains, IOptionsMonitor<LiveOptions> options)
        : this(grains.Proposal, () => options.CurrentValue.EditLinger)
    {
    }

    internal EditFunnel(Func<string, IProposalGrain> grainOf, Func<TimeSpan> linger) => (_grainOf, _linger) = (grainOf, linger);

    /// <summary>Proposals with edits queued or in flight on this node (lanes are dropped when idle).</summary>
    public int ActiveLanes => _lanes.Count;

    public Task<EditAck> SubmitAsync(string proposalId, EditSubmission edit)
    {
        while (true)
        {
            var lane = _lanes.GetOrAdd(proposalId, static (id, funnel) => new Lane(funnel, id), this);
            if (lane.TryAdd(edit, out var answer))
            {
                return answer;
            }
            // The lane was retired (idle) between the lookup and the add: take the current one.
        }
    }

    private sealed class Lane(EditFunnel funnel, string proposalId)
    {
        private readonly Lock _gate = new();
        private List<Pending> _queue = [];
        private bool _calling;
        private bool _retired;

        // The linger's end: set while the lane waits for its writers, completed by the edit that
        // brings the queue to _awaited.
        private TaskCompletionSource? _lingering;
        private int _awaited;

        // How many writers the lane expects back after a call of several: the largest call of the
        // last second (a writer gone costs full lingers for a second, as before the early end).
        private int _writers;
        private long _writersSince;

        public bool TryAdd(EditSubmission edit, out Task<EditAck> answer)
        {
            var pending = new Pending(edit);
            bool start;
            TaskCompletionSource? woken = null;
            lock (_gate)
            {
                if (_retired)
                {
                    answer = null!;
                    return false;
                }
                _queue.Add(pending);
                start = !_calling;
                _calling = true;
                if (_lingering is not null && _queue.Count >= _awaited)
                {
                    woken = _lingering;
                    _lingering = null;
                }
            }
            answer = pending.Answer.Task;
            woken?.TrySetResult();
            if (start)
            {
                _ = RunAsync();
            }
            return true;
        }

        private async Task RunAsync()
        {
            IProposalGrain grain;
            try
            {
                grain = funnel._grainOf(proposalId);
            }
            catch (Exception ex)
            {
                // No call can be made: every edit waiting here is answered with why.
                while (Take() is { } waiting)
                {
                    waiting.ForEach(p => p.Answer.TrySetException(ex));
                }
                return;
            }
            for (var batch = Take(); batch is not null; batch = Take())
            {
                IReadOnlyList<EditOutcome>? outcomes = null;
                Exception? failure = null;
                try
                {
                    outcomes = await CallAsync(grain, batch);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    Settle(batch[i], failure, outcomes is not null && i < outcomes.Count ? outcomes[i] : null);
                }
                if (batch.Count > 1 && funnel._linger() is { } linger && linger > TimeSpan.Zero)
                {
                    // Several writers are active: their next edits are typically one ack round trip away.
                    await LingerAsync(batch.Count, linger);
                }
            }
        }

        /// <summary>
        /// Waits at most <paramref name="linger"/> for the writers of the last calls to send their next
        /// edits, and no longer once as many edits are queued as the largest call of the last second
        /// carried: the linger gathers a round of writers into one call, and a round that is complete
        /// does not wait for the clock. Ended early, it is the call the full linger would have made,
        /// only sooner.
        /// </summary>
        private async Task LingerAsync(int lastCall, TimeSpan linger)
        {
            var now = Environment.TickCount64;
            if (lastCall >= _writers || now - _writersSince > 1000)
            {
                (_writers, _writersSince) = (lastCall, now);
            }
            TaskCompletionSource back;
            lock (_gate)
            {
                if (_queue.Count >= _writers)
                {
                    return;
                }
                back = new TaskCompletionSource();
                _awaited = _writers;
                _lingering = back;
            }
            // Whichever comes first; the wait's timer is dropped when the writers are back (no wake-up for it).
            await back.Task.WaitAsync(linger).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            lock (_gate)
            {
                _lingering = null;
            }
        }

        private static async Task<IReadOnlyList<EditOutcome>> CallAsync(IProposalGrain grain, List<Pending> batch)
        {
            if (batch.Count > 1)
            {
                return await grain.SubmitEdits([.. batch.Select(p => p.Edit)]);
            }
            var edit = batch[0].Edit;
            var ack = edit.OpId is { } opId
                ? await grain.SubmitTrackedEdit(edit.Caller, edit.BaseRevision, edit.Op, opId)
                : await grain.SubmitEdit(edit.Caller, edit.BaseRevision, edit.Op);
            return [new EditOutcome(ack, null)];
        }

        private static void Settle(Pending pending, Exception? failure, EditOutcome? outcome)
        {
            if (failure is not null)
            {
                pending.Answer.TrySetException(failure);
            }
            else if (outcome?.Ack is { } ack)
            {
                pending.Answer.TrySetResult(ack);
            }
            else
            {
                pending.Answer.TrySetException(outcome?.Error ?? new InvalidOperationException("The proposal grain answered an edit with neither an ack nor an error."));
            }
        }

        /// <summary>The next call's edits, or null when none are queued: then the lane is retired.</summary>
        private List<Pending>? Take()
        {
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _calling = false;
                    _retired = true;
                    funnel._lanes.TryRemove(new KeyValuePair<string, Lane>(proposalId, this));
                    return null;
                }
                if (_queue.Count <= IProposalGrain.MaxEditsPerCall)
                {
                    var all = _queue;
                    _queue = [];
                    return all;
                }
                var first = _queue.GetRange(0, IProposalGrain.MaxEditsPerCall);
                _queue.RemoveRange(0, IProposalGrain.MaxEditsPerCall);
                return first;
            }
        }
    }

    private sealed class Pending(EditSubmission edit)
    {
        public EditSubmission Edit { get; } = edit;

        // The hub's continuation (ordering wait, completion frame) runs inline until its first wait:
        // no thread hand-off per edit.
        public TaskCompletionSource<EditAck> Answer { get; } = new();
    }
}
