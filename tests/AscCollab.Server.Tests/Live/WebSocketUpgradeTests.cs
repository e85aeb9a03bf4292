using System.Net;
using System.Net.WebSockets;
using AscCollab.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AscCollab.Server.Tests;

/// <summary>
/// The hub's WebSocket upgrades skip the Problem Details middleware (it would stay on the stack for
/// the connection's life), and a refused upgrade is still answered with a problem.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class WebSocketUpgradeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_upgrade_without_a_valid_token_is_refused_with_a_401_problem_and_a_valid_one_connects()
    {
        await using var server = LiveServer.Start(azurite);
        var hub = new Uri(server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/hubs/collab");

        foreach (var url in new[] { hub, new Uri(hub + "?access_token=not-a-token") })
        {
            using var refused = new ClientWebSocket();
            refused.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(url, CancellationToken.None).WithTimeout());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
            Assert.StartsWith("Bearer", refused.HttpResponseHeaders!["WWW-Authenticate"].Single(), StringComparison.Ordinal);
        }

        // The same refusals read as HTTP: the body is the 401 problem every other route answers with.
        foreach (var query in new[] { "", "?access_token=not-a-token" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hubs/collab" + query);
            request.Headers.Connection.Add("Upgrade");
            request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
            request.Headers.Add("Sec-WebSocket-Version", "13");
            request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
            using var response = await server.Http.SendAsync(request).WithTimeout();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("unauthorized", problem.GetProperty("code").GetString());
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
        }

        using var accepted = new ClientWebSocket();
        await accepted.ConnectAsync(new Uri(hub + "?access_token=" + Uri.EscapeDataString(await server.TokenAsync("MY"))), CancellationToken.None).WithTimeout();
        Assert.Equal(WebSocketState.Open, accepted.State);
        await accepted.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WithTimeout();
    }

    [Theory]
    [InlineData(true, "websocket", false, true)]
    [InlineData(true, "WebSocket", false, true)]
    [InlineData(true, "h2c", false, false)]
    [InlineData(false, "websocket", false, false)]
    [InlineData(false, null, true, true)]
    [InlineData(false, null, false, false)]
    public void A_websocket_upgrade_is_an_http1_upgrade_to_websocket_or_an_extended_connect(bool upgradable, string? upgrade, bool extendedConnect, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(new Upgrade(upgradable));
        context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(extendedConnect));
        if (upgrade is not null)
        {
            context.Request.Headers.Upgrade = upgrade;
        }
        Assert.Equal(expected, ProblemSetup.IsWebSocketUpgrade(context));
    }

    private sealed class Upgrade(bool upgradable) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => upgradable;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }

    private sealed class ExtendedConnect(bool extended) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => extended;

        public string? Protocol => extended ? "websocket" : null;

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException();
    }
}
