using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AscCollab.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AscCollab.Web.Tests;

/// <summary>
/// The real host on real Kestrel at 127.0.0.1 on a free port, in Development, on the shared
/// Azurite with its own table prefix. The browser reaches it over HTTP and WebSockets as a
/// delegation would. The chairmanship is pinned to Singapore so Chair rights do not depend on today's date.
/// </summary>
public sealed class WebServer : WebApplicationFactory<Program>
{
    public const string Chair = "SG";

    private readonly string _connectionString;
    private readonly string _environment;
    private readonly int _port = FreePort();
    private readonly string _tablePrefix = AzuriteFixture.NewTablePrefix();

    public WebServer(string connectionString, string environment = "Development")
    {
        _connectionString = connectionString;
        _environment = environment;
        UseKestrel(o => o.Listen(IPAddress.Loopback, _port));
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{_port}/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        if (_environment != "Development")
        {
            // Outside Development the server needs an OpenID Connect authority; this one is never
            // contacted (no test sends a token to this server) and the .invalid name never resolves.
            builder.UseSetting("Auth:Authority", "https://login.asccollab.invalid/");
            builder.UseSetting("Auth:Audience", "asccollab");
        }
        builder.UseSetting("ASCCOLLAB_STORAGE", _connectionString);
        builder.UseSetting("Storage:TablePrefix", _tablePrefix);
        builder.UseSetting("AscCollab:Chairmanship:0:Member", Chair);
        builder.UseSetting("AscCollab:Chairmanship:0:From", "2000-01-01T00:00:00Z");
        builder.UseSetting("AscCollab:Chairmanship:0:To", "2100-01-01T00:00:00Z");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>An HTTP client (outside the browser) with a Development token for <paramref name="member"/>.</summary>
    public async Task<HttpClient> ClientFor(string member, string role = "delegate")
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TestTimeouts.Default };
        var response = await client.PostAsJsonAsync("/api/dev/token", new { member, role }).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"token for {member}/{role}: {(int)response.StatusCode} {body}");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["token"]!.GetValue<string>());
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
