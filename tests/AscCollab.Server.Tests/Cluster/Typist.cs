using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using AscCollab.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// A client typing one unique token per edit through node A with SubmitTrackedEdit. When a call's
/// outcome is unknown or the connection is lost it sends the same edit again with the same op id —
/// through node B once node A's process is gone — until it is acknowledged.
/// </summary>
internal sealed class Typist(int index, string proposalId, string token, ServerNode first, ServerNode second) : IAsyncDisposable
{
    private static readonly TimeSpan EditTimeout = TimeSpan.FromSeconds(90);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private ServerNode? _moved;
    private HubConnection? _connection;

    /// <summary>(token inserted, revision acknowledged) of every edit, in typing order.</summary>
    public List<(string Text, long Revision)> Acknowledged { get; } = [];

    public List<string> Retries { get; } = [];

    /// <summary>True once it went on through node B.</summary>
    public bool Moved => _moved is not null;

    public async Task TypeAsync(int edits, Action onAck)
    {
        long revision = 0;
        for (var i = 0; i < edits; i++)
        {
            var text = $"<{index}.{i}>";
            var opId = $"{_run}-{index}-{i}";
            revision = await SubmitAsync(revision, TextOperation.Insert(0, text), opId);
            Acknowledged.Add((text, revision));
            onAck();
        }
    }

    private ServerNode Node => _moved ?? first;

    private async Task<long> SubmitAsync(long baseRevision, TextOperation op, string opId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var connection = await ConnectionAsync();
                var ack = await connection.InvokeAsync<JsonElement>("SubmitTrackedEdit", proposalId, baseRevision, op, opId).WithTimeout();
                return ack.GetProperty("revision").GetInt64();
            }
            catch (HubException ex) when (Retryable(ex))
            {
                Retries.Add($"{opId} on {Node.Name}: {ex.Message}");
            }
            catch (Exception ex) when (ex is not HubException and (InvalidOperationException or IOException or WebSocketException or HttpRequestException or TimeoutException or OperationCanceledException))
            {
                // Connection lost (or never made): make a new one, on node B once node A is gone.
                Retries.Add($"{opId} on {Node.Name}: {ex.GetType().Name} {ex.Message}");
                await DropConnectionAsync();
                if (_moved is null && first.HasExited)
                {
                    _moved = second;
                }
            }
            if (clock.Elapsed > EditTimeout)
            {
                throw new TimeoutException($"typist {index}: {opId} not acknowledged within {EditTimeout.TotalSeconds} s; tries: {string.Join(" | ", Retries.TakeLast(10))}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Refusals that say "send it again": outcome unknown (same op id: applied at most once), nothing
    /// applied (the cluster is busy settling), too fast. The .NET client prefixes the server's message.
    /// </summary>
    private static bool Retryable(HubException ex) =>
        new[] { "outcome_unknown:", "unavailable:", "rate_limited:" }.Any(code =>
            ex.Message.StartsWith(code, StringComparison.Ordinal) || ex.Message.Contains("HubException: " + code, StringComparison.Ordinal));

    private async Task<HubConnection> ConnectionAsync()
    {
        if (_connection is { State: HubConnectionState.Connected } connected)
        {
            return connected;
        }
        await DropConnectionAsync();
        var connection = Node.Hub(token);
        _connection = connection;
        await connection.StartAsync().WithTimeout(TimeSpan.FromSeconds(10));
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}
