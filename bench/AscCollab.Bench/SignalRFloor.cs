using System.Text.Json;
using System.Text.Json.Serialization;
using AscCollab.Storage.AzureTable;
using AscCollab.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AscCollab.Bench;

/// <summary>
/// The "signalr" peer: the editing path with nothing but ASP.NET Core SignalR and our OT — one
/// process, documents in memory, no Orleans, no storage, no authentication, no audit, no limits.
/// It speaks our hub's editing subset (<c>OpenProposal</c>, <c>SubmitEdit</c> → <c>EditApplied</c>
/// to the others, in revision order), so the load generator drives it with our own client path.
/// What it costs per op, and how fast it answers, is what the framework and the OT cost before
/// the grain, the cluster and durability: the floor under our server's figures, measured in the
/// same run. Started like the memory floor's reference servers (pinned, the server's runtime settings).
/// </summary>
internal static class SignalRFloor
{
    public const string ServerCommand = "signalr-floor-server";

    public const string PeerName = "signalr";

    /// <summary>The same hub with every op stored in Azurite before its ack (<see cref="DurableLog"/>).</summary>
    public const string DurablePeerName = "durable";

    /// <summary>The durable floor's table prefix: its rows are in table <c>benchdurablegrains</c>, as ours in <c>{prefix}grains</c>.</summary>
    public const string DurableTablePrefix = "benchdurable";

    /// <summary>The server itself, in this process: `signalr-floor-server PORT [durable]` (durable: ASCCOLLAB_STORAGE names the Azurite).</summary>
    public static async Task<int> RunServerAsync(string[] args)
    {
        if (args.Length is < 1 or > 2 || !int.TryParse(args[0], out var port) || (args.Length == 2 && args[1] != DurablePeerName))
        {
            await Console.Error.WriteLineAsync($"usage: {ServerCommand} PORT [{DurablePeerName}]");
            return 64;
        }
        var durable = args.Length == 2;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<Documents>();
        if (durable)
        {
            var storage = Environment.GetEnvironmentVariable("ASCCOLLAB_STORAGE") is { Length: > 0 } connection
                ? connection
                : throw new InvalidOperationException("ASCCOLLAB_STORAGE is not set: the durable floor stores every op in Azurite.");
            // The same provider and registration the server's proposal storage uses, as the storage floor does.
            builder.Services.AddAzureTableLogStorage(DurableLog.StorageName, o =>
            {
                o.ConnectionString = storage;
                o.TablePrefix = DurableTablePrefix;
            });
            builder.Services.AddSingleton<DurableLog>();
        }
        builder.Services.AddSignalR(o => o.MaximumParallelInvocationsPerClient = 1)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        await using var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapPost("/documents/{id}", async (string id, HttpRequest request, Documents documents) =>
        {
            using var reader = new StreamReader(request.Body);
            await documents.CreateAsync(id, await reader.ReadToEndAsync());
            return Results.Ok();
        });
        app.MapHub<FloorHub>("/hubs/collab");
        await app.RunAsync();
        return 0;
    }

    internal sealed class Documents(IServiceProvider services)
    {
        private readonly Dictionary<string, Document> _documents = new(StringComparer.Ordinal);

        /// <summary>Set when the server is the durable floor: each document's ops go through it.</summary>
        public DurableLog? Log { get; } = services.GetService<DurableLog>();

        public async Task CreateAsync(string id, string text)
        {
            var document = new Document(text);
            if (Log is not null)
            {
                await Log.CreateAsync(id, document);
            }
            lock (_documents)
            {
                _documents[id] = document;
            }
        }

        public Document Get(string id)
        {
            lock (_documents)
            {
                return _documents.TryGetValue(id, out var document) ? document : throw new HubException($"not_found: no document '{id}'");
            }
        }
    }

    internal sealed class Document(string text)
    {
        private const int KeptRevisions = 10_000;

        /// <summary>One sequencer per document: transform, apply and push happen in revision order.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string Text { get; set; } = text;

        public long Revision { get; set; }

        /// <summary>The last ops, their revisions contiguous up to <see cref="Revision"/>: the ones after a base revision are the list's last.</summary>
        public List<(long Revision, TextOperation Op)> History { get; } = [];

        /// <summary>Durable floor: the ops applied and not yet stored, in revision order, and whether a write is under way.</summary>
        public List<DurableLog.Pending> Unstored { get; set; } = [];

        public bool Writing { get; set; }

        /// <summary>Durable floor: set while the writer lingers; completed by the op that brings <see cref="Unstored"/> to <see cref="Awaited"/>.</summary>
        public TaskCompletionSource? Lingering { get; set; }

        public int Awaited { get; set; }

        /// <summary>Durable floor: the stored state row's ETag.</summary>
        public string? ETag { get; set; }

        /// <summary>The durable floor: the revision of the document's last text row (StorageFloor.FloorState.WithTextRow).</summary>
        public long? TextAt { get; set; }

        public void Record(TextOperation op)
        {
            History.Add((Revision, op));
            if (History.Count > 2 * KeptRevisions)
            {
                History.RemoveRange(0, KeptRevisions);
            }
        }
    }

    internal sealed class FloorHub(Documents documents) : Hub
    {
        private static readonly TextLimits Limits = new(2_000, int.MaxValue);

        private string Member => Context.GetHttpContext()?.Request.Query["access_token"].ToString() is { Length: > 0 } member ? member : "anonymous";

        public async Task<object> OpenProposal(string proposalId)
        {
            var document = documents.Get(proposalId);
            await Groups.AddToGroupAsync(Context.ConnectionId, proposalId);
            await document.Gate.WaitAsync();
            try
            {
                return new { proposalId, revision = document.Revision, text = document.Text };
            }
            finally
            {
                document.Gate.Release();
            }
        }

        public async Task<object> SubmitEdit(string proposalId, long baseRevision, JsonElement op)
        {
            if (!TextOperation.TryParse(op, Limits, out var parsed, out var error))
            {
                throw new HubException($"invalid_op: {error}");
            }
            var document = documents.Get(proposalId);
            DurableLog.Pending pending;
            var startWriter = false;
            await document.Gate.WaitAsync();
            try
            {
                if (baseRevision > document.Revision || (document.History.Count > 0 && baseRevision < document.History[0].Revision - 1))
                {
                    throw new HubException($"stale_revision: {baseRevision} is not held (head {document.Revision})");
                }
                var transformed = parsed!;
                var history = document.History;
                for (var i = Math.Max(0, history.Count - (int)(document.Revision - baseRevision)); i < history.Count; i++)
                {
                    // As our proposal grain does: the incoming op is 'left' of the ops sequenced before it.
                    transformed = TextOperation.Transform(transformed, history[i].Op, TransformSide.Left);
                }
                document.Text = transformed.Apply(document.Text);
                document.Revision++;
                document.Record(transformed);
                if (documents.Log is not null)
                {
                    // Stored, then pushed and acknowledged, by the document's writer (below, after the gate).
                    pending = DurableLog.Enqueue(document, transformed, Member, Context.ConnectionId, out startWriter);
                }
                else
                {
                    await Clients.OthersInGroup(proposalId).SendAsync("EditApplied", new { proposalId, revision = document.Revision, op = transformed, member = Member });
                    return new { revision = document.Revision, op = transformed };
                }
            }
            finally
            {
                document.Gate.Release();
            }
            if (startWriter)
            {
                _ = documents.Log!.WriteAsync(document, proposalId);
            }
            var stored = await pending.Done.Task;
            return new { revision = stored, op = pending.Op };
        }
    }
}
