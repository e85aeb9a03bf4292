using System.Text.Json;
using System.Text.Json.Nodes;
using AscCollab.Storage;
using AscCollab.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Bench;

/// <summary>
/// The durable floor (peer "durable"): the signalr floor's hub with every op stored in Azurite
/// before anyone sees it, through the server's own Azure Table provider, in the rows the proposal
/// grain writes — per write one op row and one audit row holding all its edits, and the state row
/// under its ETag (as the storage floor writes them). One writer per document: while a write is in
/// flight the next ops queue, and the next write takes all of them (group commit); after a write of
/// several it waits <see cref="Linger"/> for those writers' next ops, and no longer once as many are
/// queued as the largest write of the last second held, as our server's edit funnel does by default
/// (<c>Live:EditLinger</c>; a lone writer never waits). After
/// the write each op goes to the others as EditApplied and is acknowledged to its author. Nothing
/// else of ours: no Orleans, no authentication, no audit chain, no limits. What it costs per op and
/// how fast it answers under the same load generator is the floor under our durable figures.
/// </summary>
internal sealed class DurableLog(IServiceProvider services, IHubContext<SignalRFloor.FloorHub> hub)
{
    public const string StorageName = "durable";

    /// <summary>Our server's default <c>Live:EditLinger</c>.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(3);

    private readonly ILogStorage _storage = services.GetRequiredKeyedService<ILogStorage>(StorageName);

    /// <summary>An op applied to the document in memory and not yet stored; <see cref="Done"/> gives its revision once stored.</summary>
    internal sealed class Pending(long revision, TextOperation op, string member, string connectionId)
    {
        public long Revision { get; } = revision;

        public TextOperation Op { get; } = op;

        public string Member { get; } = member;

        public string ConnectionId { get; } = connectionId;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The document's state row, stored before the document is used.</summary>
    public async Task CreateAsync(string id, SignalRFloor.Document document)
    {
        var (state, textRow) = StorageFloor.FloorState.Create(document.Text).WithTextRow();
        document.ETag = await _storage.WriteStateAsync(StorageFloor.Grain(id), "state", JsonSerializer.Serialize(state, StateJson.Options), null, [textRow!], CancellationToken.None);
        document.TextAt = state.TextAt;
    }

    /// <summary>Queues the op just applied (the caller holds the document's gate); <paramref name="startWriter"/>: no write is under way, the caller starts one.</summary>
    public static Pending Enqueue(SignalRFloor.Document document, TextOperation op, string member, string connectionId, out bool startWriter)
    {
        var pending = new Pending(document.Revision, op, member, connectionId);
        document.Unstored.Add(pending);
        if (document.Lingering is { } lingering && document.Unstored.Count >= document.Awaited)
        {
            // The writers the linger waits for are back (its continuation runs elsewhere: the caller holds the gate).
            document.Lingering = null;
            lingering.TrySetResult();
        }
        startWriter = !document.Writing;
        document.Writing = true;
        return pending;
    }

    /// <summary>Writes what has queued, one write at a time, until nothing is left.</summary>
    public async Task WriteAsync(SignalRFloor.Document document, string proposalId)
    {
        var last = 0;
        var (writers, writersSince) = (0, 0L);
        while (true)
        {
            if (last > 1)
            {
                // The writers of the last write are a round trip away from their next op: wait for
                // them, at most the linger, as the edit funnel does (expecting the largest write of the last second).
                var now = Environment.TickCount64;
                if (last >= writers || now - writersSince > 1000)
                {
                    (writers, writersSince) = (last, now);
                }
                await LingerAsync(document, writers);
            }
            List<Pending> batch;
            string text;
            long revision;
            await document.Gate.WaitAsync();
            try
            {
                if (document.Unstored.Count == 0)
                {
                    document.Writing = false;
                    return;
                }
                // Every op applied is queued under the gate, so the text is exactly the last queued op's.
                (batch, document.Unstored) = (document.Unstored, []);
                last = batch.Count;
                (text, revision) = (document.Text, document.Revision);
            }
            finally
            {
                document.Gate.Release();
            }
            try
            {
                var first = batch[0].Revision;
                var ops = batch.Select(p => new JsonObject { ["member"] = p.Member, ["at"] = DateTimeOffset.UtcNow, ["op"] = JsonSerializer.SerializeToNode(p.Op) }.ToJsonString()).ToList();
                var audits = batch.Select(p => StorageFloor.AuditRecord(p.Revision)).ToList();
                var (state, textRow) = (StorageFloor.FloorState.Create(text) with { Revision = revision, AuditSequence = revision, TextAt = document.TextAt }).WithTextRow();
                LogEntry[] rows = textRow is null
                    ? [new("op", first, StorageFloor.Packed(ops)), new("audit", first, StorageFloor.Packed(audits))]
                    : [new("op", first, StorageFloor.Packed(ops)), new("audit", first, StorageFloor.Packed(audits)), textRow];
                document.ETag = await _storage.WriteStateAsync(StorageFloor.Grain(proposalId), "state", JsonSerializer.Serialize(state, StateJson.Options), document.ETag, rows, CancellationToken.None);
                document.TextAt = state.TextAt;
                foreach (var p in batch)
                {
                    await hub.Clients.GroupExcept(proposalId, p.ConnectionId).SendAsync("EditApplied", new { proposalId, revision = p.Revision, op = p.Op, member = p.Member });
                }
                foreach (var p in batch)
                {
                    p.Done.TrySetResult(p.Revision);
                }
            }
            catch (Exception ex)
            {
                foreach (var p in batch)
                {
                    p.Done.TrySetException(ex);
                }
            }
        }
    }

    private static async Task LingerAsync(SignalRFloor.Document document, int writers)
    {
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await document.Gate.WaitAsync();
        try
        {
            if (document.Unstored.Count >= writers)
            {
                return;
            }
            (document.Lingering, document.Awaited) = (back, writers);
        }
        finally
        {
            document.Gate.Release();
        }
        await back.Task.WaitAsync(Linger).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await document.Gate.WaitAsync();
        document.Lingering = null;
        document.Gate.Release();
    }
}
