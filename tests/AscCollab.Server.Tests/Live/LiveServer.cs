using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AscCollab.Grains;
using AscCollab.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AscCollab.Server.Tests;

/// <summary>
/// The real server (<see cref="AscCollabApp"/>, SG in the chair) on Kestrel at 127.0.0.1 on a free
/// port, for Node clients. <see cref="RestartAsync"/> stops it and starts a new one on the same
/// tables, as a process restart would.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    public const string Chair = AscCollabApp.Chair;

    private readonly AzuriteFixture _azurite;
    private readonly string _tablePrefix = AzuriteFixture.NewTablePrefix();
    private AscCollabApp _app;
    private readonly Dictionary<(string, string), string> _tokens = [];

    private LiveServer(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _app = Start();
        Http = NewClient();
    }

    public string BaseUrl { get; private set; } = "";

    public HttpClient Http { get; private set; }

    /// <summary>The running server's services (its grain factory, for calls a hub client cannot make).</summary>
    public IServiceProvider Services => _app.Services;

    public static LiveServer Start(AzuriteFixture azurite) => new(azurite);

    public async Task RestartAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync().AsTask().WithTimeout();
        _tokens.Clear(); // the Development issuer's key is per process
        _app = Start();
        Http = NewClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync().AsTask().WithTimeout();
    }
    public async Task<string> TokenAsync(string member, string role = "delegate")
    {
        if (_tokens.TryGetValue((member, role), out var cached))
        {
            return cached;
        }
        using var response = await Http.PostAsJsonAsync("/api/dev/token", new { member, role }).WithTimeout();
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>().WithTimeout()).GetProperty("token").GetString()!;
        _tokens[(member, role)] = token;
        return token;
    }

    /// <summary>A token of this server's Development issuer for <paramref name="member"/> that expires after <paramref name="lifetime"/>, and its expiry (<c>exp</c>).</summary>
    public (string Token, DateTimeOffset ExpiresAt) MintToken(string member, TimeSpan lifetime, string role = "delegate")
    {
        Assert.True(CallerClaims.TryParseRole(role, out var parsed), role);
        var token = _app.Services.GetRequiredService<DevTokenIssuer>().Mint(new Caller(member, parsed), lifetime);
        return (token, new DateTimeOffset(new JsonWebToken(token).ValidTo, TimeSpan.Zero));
    }

    /// <summary>Sends a JSON request as <paramref name="member"/>; fails the test unless it succeeds.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string member, string role = "delegate", object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(member, role));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await Http.SendAsync(request).WithTimeout();
        var text = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} as {member}/{role}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> CreateProposalAsync(string member, string text, string? group = null)
    {
        var created = await SendAsync(HttpMethod.Post, "/api/proposals", member, body: new { activity = "common-political-values", title = "Live test " + Guid.NewGuid().ToString("N")[..6], text, group });
        return created.GetProperty("id").GetString()!;
    }

    /// <summary>The committed text and revision, over REST.</summary>
    public async Task<(string Text, long Revision)> ReadProposalAsync(string proposalId, string member = "MY")
    {
        var snapshot = await SendAsync(HttpMethod.Get, $"/api/proposals/{proposalId}", member);
        return (snapshot.GetProperty("text").GetString()!, snapshot.GetProperty("revision").GetInt64());
    }

    private AscCollabApp Start()
    {
        var app = new AscCollabApp(_azurite, _tablePrefix);
        BaseUrl = app.ServeOnLoopback().ToString().TrimEnd('/');
        return app;
    }

    private HttpClient NewClient() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TestTimeouts.Default };
}
