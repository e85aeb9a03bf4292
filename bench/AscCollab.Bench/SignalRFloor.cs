using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>The server itself, in this process: `signalr-floor-server PORT`.</summary>
    public static async Task<int> RunServerAsync(string[] args)
    {
        if (args.Length != 1 || !int.TryParse(args[0], out var port))
        {
            await Console.Error.WriteLineAsync($"usage: {ServerCommand} PORT");
            return 64;
        }
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<Documents>();
        builder.Services.AddSignalR(o => o.MaximumParallelInvocationsPerClient = 1)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        await using var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapPost("/documents/{id}", async (string id, HttpRequest request, Documents documents) =>
        {
            using var reader = new StreamReader(request.Body);
            documents.Create(id, await reader.ReadToEndAsync());
            return Results.Ok();
        });
        app.MapHub<FloorHub>("/hubs/collab");
        await app.RunAsync();
        return 0;
    }

    internal sealed class Documents
    {
        private readonly Dictionary<string, Document> _documents = new(StringComparer.Ordinal);

        public void Create(string id, string text)
        {
            lock (_documents)
            {
                _documents[id] = new Document(text);
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

        public Queue<(long Revision, TextOperation Op)> History { get; } = new();

        public void Record(TextOperation op)
        {
            History.Enqueue((Revision, op));
            if (History.Count > KeptRevisions)
            {
                History.Dequeue();
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
            await document.Gate.WaitAsync();
            try
            {
                if (baseRevision > document.Revision || (document.History.Count > 0 && baseRevision < document.History.Peek().Revision - 1))
                {
                    throw new HubException($"stale_revision: {baseRevision} is not held (head {document.Revision})");
                }
                var transformed = parsed!;
                foreach (var (revision, concurrent) in document.History)
                {
                    if (revision > baseRevision)
                    {
                        // As our proposal grain does: the incoming op is 'left' of the ops sequenced before it.
                        transformed = TextOperation.Transform(transformed, concurrent, TransformSide.Left);
                    }
                }
                document.Text = transformed.Apply(document.Text);
                document.Revision++;
                document.Record(transformed);
                await Clients.OthersInGroup(proposalId).SendAsync("EditApplied", new { proposalId, revision = document.Revision, op = transformed, member = Member });
                return new { revision = document.Revision, op = transformed };
            }
            finally
            {
                document.Gate.Release();
            }
        }
    }
}
