using System.Net.Http.Headers;
using AscCollab.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// One member's hub connections on a node are capped (<c>too_many_connections</c>) and share one
/// edit budget, so opening more connections does not buy more edits. A real SignalR client against
/// the real host; the limits set low in configuration.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class MemberLimitsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AscCollabApp _app = null!;
    private readonly List<HubConnection> _hubs = [];

    public Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite, settings: new Dictionary<string, string?>
        {
            ["Live:MaxConnectionsPerMember"] = "3",
            // A burst of 10 and next to no refill: the count of accepted edits does not depend on timing.
            ["Live:MemberEditBurst"] = "10",
            ["Live:MemberEditsPerSecond"] = "0.001",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var hub in _hubs)
        {
            await hub.DisposeAsync();
        }
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_member_holds_at_most_the_configured_connections_and_a_closed_one_frees_its_place()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await RefusalOnConnectAsync("MY"));
        }

        // The handshake completes, then the server closes the connection with the coded refusal.
        var refused = await RefusalOnConnectAsync("MY");
        Assert.NotNull(refused);
        Assert.Contains("HubException: too_many_connections: MY already has 3 connections", refused, StringComparison.Ordinal);

        // Other members are not affected.
        Assert.Null(await RefusalOnConnectAsync("TH"));

        await _hubs[0].StopAsync().WithTimeout();
        string? again = "not tried";
        await Workflow.Eventually(async () => (again = await RefusalOnConnectAsync("MY")) is null, "a place is free again once a connection closed");
    }

    /// <summary>Connects and makes one call: null when the connection is usable, else the error the server closed it with.</summary>
    private async Task<string?> RefusalOnConnectAsync(string member)
    {
        var hub = await ConnectAsync(member);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        try
        {
            // OnConnectedAsync has run before the server dispatches any call of the connection.
            await hub.InvokeAsync<object>("GetToDo").WithTimeout();
            return null;
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            var error = await closed.Task.WithTimeout();
            _hubs.Remove(hub);
            await hub.DisposeAsync();
            return error?.Message ?? ex.Message;
        }
    }

    [Fact]
    public async Task Edits_from_all_of_a_members_connections_share_one_budget()
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("MY"));
        var id = (await client.Propose(Workflow.Unique("Budget"), text: "x"));
        var hubs = new[] { await ConnectAsync("MY"), await ConnectAsync("MY"), await ConnectAsync("MY") };

        var accepted = 0;
        var limited = new List<string>();
        for (var round = 0; round < 6; round++)
        {
            foreach (var hub in hubs)
            {
                try
                {
                    await hub.InvokeAsync<object>("SubmitEdit", id, 0L, new object[] { "y" }).WithTimeout();
                    accepted++;
                }
                catch (HubException ex)
                {
                    limited.Add(ex.Message);
                }
            }
        }

        // 18 edits, each connection far below its own 100-edit burst: the member's 10 decide.
        Assert.InRange(accepted, 10, 11);
        Assert.Equal(18 - accepted, limited.Count);
        Assert.All(limited, m => Assert.Contains("HubException: rate_limited: Too many edits from MY's connections together", m, StringComparison.Ordinal));

        // Another member's budget is its own.
        var other = await ConnectAsync("TH");
        await other.InvokeAsync<object>("SubmitEdit", id, 0L, new object[] { "z" }).WithTimeout();
    }

    private async Task<string> TokenAsync(string member)
    {
        using var anonymous = _app.CreateClient();
        return (await anonymous.PostJson("/api/dev/token", new { member, role = "delegate" }))["token"]!.GetValue<string>();
    }

    private async Task<HubConnection> ConnectAsync(string member)
    {
        var token = await TokenAsync(member);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_app.Server.BaseAddress, LiveSetup.HubPath), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        try
        {
            await hub.StartAsync().WithTimeout();
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        _hubs.Add(hub);
        return hub;
    }
}
