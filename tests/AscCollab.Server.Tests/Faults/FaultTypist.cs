using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using AscCollab.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// A delegation typing one unique token per edit at the start of the text (so the op committed is the
/// op sent: an incoming insert is 'left' of concurrent ones at the same place) with SubmitTrackedEdit,
/// and signing off now and then on the revision just acknowledged. Through faults it behaves as the
/// documented client (docs/hub.md): an unknown outcome or a lost connection sends the same edit again
/// with the same op id, on whatever node <paramref name="node"/> names now; after every new connection
/// it first calls Resync with the last revision and op it was acknowledged for, and stops for good on
/// revision_lost (storage lost what it was acknowledged).
/// </summary>
internal sealed class FaultTypist(int index, string member, string proposalId, string token, Func<ServerNode> node) : IAsyncDisposable
{
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(150);
    // A fast typist, not a flood: the run stays bounded in edits while the faults last seconds.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(80);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private HubConnection? _connection;
    private bool _resync;

    public string Member => member;

    /// <summary>(token inserted, revision acknowledged) of every acknowledged edit, in typing order.</summary>
    public List<(string Text, long Revision)> Acknowledged { get; } = [];

    /// <summary>The revisions of the acknowledged sign-offs.</summary>
    public List<long> SignedOff { get; } = [];

    /// <summary>The revision_lost refusal, once one came (typing stopped there).</summary>
    public string? Lost { get; private set; }

    public List<string> Retries { get; } = [];

    /// <summary>Types until <paramref name="edits"/> are acknowledged, <paramref name="stop"/> is set or a loss is reported.</summary>
    public async Task TypeAsync(int edits, Func<bool> stop, Action onAck)
    {
        long revision = 0;
        for (var i = 0; i < edits && !stop() && Lost is null; i++)
        {
            var text = $"<{index}.{i}>";
            var opId = $"{_run}-{index}-{i}";
            var ack = await CallAsync(c => c.InvokeAsync<JsonElement>("SubmitTrackedEdit", proposalId, revision, TextOperation.Insert(0, text), opId), resend: true);
            if (ack is not { } answer)
            {
                return;
            }
            revision = answer.GetProperty("revision").GetInt64();
            Acknowledged.Add((text, revision));
            onAck();
            await Task.Delay(Pace);
            if (i % 15 == 14)
            {
                // Not resent when the outcome is unknown: a sign-off has no op id, so only an answer counts.
                var position = i % 30 == 29 ? "Abstain" : "Concur";
                var at = revision;
                if (await CallAsync(c => c.InvokeAsync<JsonElement>("SignOff", proposalId, position, (string?)null, at), resend: false) is not null)
                {
                    SignedOff.Add(at);
                }
            }
        }
    }

    /// <summary>The answer; null when revision_lost came (<see cref="Lost"/>), or, without resend, on any refusal or unknown outcome.</summary>
    private async Task<JsonElement?> CallAsync(Func<HubConnection, Task<JsonElement>> call, bool resend)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var connection = await ConnectionAsync();
                if (_resync && Acknowledged.Count > 0)
                {
                    var (text, revision) = Acknowledged[^1];
                    await connection.InvokeAsync<JsonElement>("Resync", proposalId, revision, TextOperation.Insert(0, text), (string?)null).WithTimeout(TimeSpan.FromSeconds(45));
                }
                _resync = false;
                return await call(connection).WithTimeout(TimeSpan.FromSeconds(45));
            }
            catch (HubException ex) when (ex.Message.Contains("revision_lost:", StringComparison.Ordinal))
            {
                Lost = ex.Message;
                return null;
            }
            catch (HubException ex) when (Retryable(ex) && (resend || !ex.Message.Contains("outcome_unknown:", StringComparison.Ordinal)))
            {
                Retries.Add($"{member} on {node().Name}: {ex.Message}");
            }
            catch (HubException) when (!resend)
            {
                return null;
            }
            catch (Exception ex) when (ex is not HubException and (InvalidOperationException or IOException or WebSocketException or HttpRequestException or TimeoutException or OperationCanceledException))
            {
                Retries.Add($"{member} on {node().Name}: {ex.GetType().Name} {ex.Message}");
                await DropConnectionAsync();
                if (!resend)
                {
                    return null;
                }
            }
            if (clock.Elapsed > CallBudget)
            {
                throw new TimeoutException($"{member}: no answer within {CallBudget.TotalSeconds} s; tries: {string.Join(" | ", Retries.TakeLast(8))}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>"Send it again": outcome unknown (same op id: applied at most once), nothing applied, too fast.</summary>
    private static bool Retryable(HubException ex) =>
        new[] { "outcome_unknown:", "unavailable:", "rate_limited:" }.Any(code => ex.Message.Contains(code, StringComparison.Ordinal));

    private async Task<HubConnection> ConnectionAsync()
    {
        if (_connection is { State: HubConnectionState.Connected } connected)
        {
            return connected;
        }
        await DropConnectionAsync();
        var connection = node().Hub(token);
        _connection = connection;
        await connection.StartAsync().WithTimeout(TimeSpan.FromSeconds(10));
        _resync = true;
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
