using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AscCollab.Grains;
using AscCollab.Testing;
using AscCollab.Text;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Server.Tests;

/// <summary>
/// The edits of one committed batch reach a connection in one write: one WebSocket message holding
/// the JSON hub protocol's EditApplied records in revision order, without the connection's own
/// edits. Watched at the frame level by raw WebSocket clients that speak the JSON hub protocol.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LiveBatchedPushTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_committed_batch_reaches_each_connection_as_one_message_in_revision_order_without_its_own_edits()
    {
        await using var server = LiveServer.Start(azurite);
        var id = await server.CreateProposalAsync("MY", "Measures: ");
        var (text, initial) = await server.ReadProposalAsync(id);
        await using var watcher = await RawHubClient.ConnectAsync(server.BaseUrl, await server.TokenAsync("TH"));
        await using var author = await RawHubClient.ConnectAsync(server.BaseUrl, await server.TokenAsync("PH"));
        await watcher.InvokeAsync("OpenProposal", id);
        var opened = await author.InvokeAsync("OpenProposal", id);
        var authorSession = opened.GetProperty("connectionId").GetString()!;

        // One grain call, one durable batch: three edits, the second one made by the author's connection.
        var outcomes = await server.Services.GetRequiredService<IGrainFactory>().Proposal(id).SubmitEdits(
        [
            new EditSubmission(new Caller("MY", CallerRole.Delegate), initial, TextOperation.Insert(0, "a"), null),
            new EditSubmission(new Caller("PH", CallerRole.Delegate) { Session = authorSession }, initial, TextOperation.Insert(text.Length, "b"), null),
            new EditSubmission(new Caller("VN", CallerRole.Delegate), initial, TextOperation.Insert(0, "c"), null),
        ]).WithTimeout();
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal([initial + 1, initial + 2, initial + 3], outcomes.Select(o => o.Ack!.Revision));

        var toWatcher = await watcher.NextMessageWithAsync("EditApplied");
        Assert.Equal([(initial + 1, "MY"), (initial + 2, "PH"), (initial + 3, "VN")], EditsIn(toWatcher));
        var toAuthor = await author.NextMessageWithAsync("EditApplied");
        Assert.Equal([(initial + 1, "MY"), (initial + 3, "VN")], EditsIn(toAuthor));

        // A lone edit afterwards is one record, as before.
        await server.Services.GetRequiredService<IGrainFactory>().Proposal(id).SubmitEdit(new Caller("MY", CallerRole.Delegate), initial + 3, TextOperation.Insert(0, "d")).WithTimeout();
        Assert.Equal([(initial + 4, "MY")], EditsIn(await watcher.NextMessageWithAsync("EditApplied")));
        Assert.Equal([(initial + 4, "MY")], EditsIn(await author.NextMessageWithAsync("EditApplied")));
    }

    private static List<(long Revision, string Member)> EditsIn(List<JsonElement> records) =>
    [
        .. records
            .Where(r => r.GetProperty("type").GetInt32() == 1 && r.GetProperty("target").GetString() == "EditApplied")
            .Select(r => r.GetProperty("arguments")[0])
            .Select(m => (m.GetProperty("revision").GetInt64(), m.GetProperty("member").GetString()!)),
    ];

    /// <summary>A hub client on a plain WebSocket (JSON protocol): it keeps each WebSocket message whole, as records.</summary>
    private sealed class RawHubClient : IAsyncDisposable
    {
        private const char Separator = '\u001e';
        private readonly ClientWebSocket _socket = new();
        private readonly Channel<List<JsonElement>> _messages = Channel.CreateUnbounded<List<JsonElement>>();
        private readonly CancellationTokenSource _stop = new();
        private Task _reading = Task.CompletedTask;
        private int _invocations;

        public static async Task<RawHubClient> ConnectAsync(string baseUrl, string token)
        {
            var client = new RawHubClient();
            var url = new Uri($"{baseUrl.Replace("http://", "ws://", StringComparison.Ordinal)}/hubs/collab?access_token={Uri.EscapeDataString(token)}");
            await client._socket.ConnectAsync(url, CancellationToken.None).WithTimeout();
            client._reading = client.ReadAsync();
            await client.SendAsync("""{"protocol":"json","version":1}""");
            var handshake = await client.NextMessageAsync(_ => true);
            Assert.Equal(JsonValueKind.Object, handshake[0].ValueKind);
            Assert.False(handshake[0].TryGetProperty("error", out _), handshake[0].ToString());
            return client;
        }

        /// <summary>Invokes a hub method and returns its result (fails the test on an error).</summary>
        public async Task<JsonElement> InvokeAsync(string method, params object[] arguments)
        {
            var invocationId = (++_invocations).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId, target = method, arguments }));
            var records = await NextMessageAsync(r => r.Any(m => IsCompletion(m, invocationId)));
            var completion = records.First(m => IsCompletion(m, invocationId));
            Assert.False(completion.TryGetProperty("error", out var error), $"{method}: {error}");
            return completion.GetProperty("result");
        }

        /// <summary>The next WebSocket message holding a record that invokes <paramref name="target"/> on the client, whole.</summary>
        public Task<List<JsonElement>> NextMessageWithAsync(string target) =>
            NextMessageAsync(r => r.Any(m => m.GetProperty("type").GetInt32() == 1 && m.GetProperty("target").GetString() == target));

        private static bool IsCompletion(JsonElement m, string invocationId) =>
            m.TryGetProperty("type", out var type) && type.GetInt32() == 3 && m.GetProperty("invocationId").GetString() == invocationId;

        private async Task<List<JsonElement>> NextMessageAsync(Func<List<JsonElement>, bool> wanted)
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Default);
            while (true)
            {
                var records = await _messages.Reader.ReadAsync(timeout.Token);
                if (wanted(records))
                {
                    return records;
                }
            }
        }

        private Task SendAsync(string json) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(json + Separator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WithTimeout();

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    using var message = new MemoryStream();
                    WebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer, _stop.Token);
                        message.Write(buffer, 0, result.Count);
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                    var records = Encoding.UTF8.GetString(message.ToArray())
                        .Split(Separator, StringSplitOptions.RemoveEmptyEntries)
                        .Select(r => JsonDocument.Parse(r).RootElement.Clone())
                        .ToList();
                    await _messages.Writer.WriteAsync(records);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
            finally
            {
                _messages.Writer.TryComplete();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
                {
                }
            }
            await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
