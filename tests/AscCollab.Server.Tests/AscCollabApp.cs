using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscCollab.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Server.Tests;

/// <summary>
/// The real host on a real Azurite: <c>ASCCOLLAB_STORAGE</c> points at the shared fixture and
/// every app has its own table prefix (pass an existing one to restart "the same server").
/// The chairmanship is pinned to Singapore so Chair rules do not depend on today's date.
/// </summary>
public sealed class AscCollabApp : WebApplicationFactory<Program>
{
    public const string Chair = "SG";

    private readonly string _connectionString;
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;

    public AscCollabApp(AzuriteFixture azurite, string? tablePrefix = null, string environment = "Development", IDictionary<string, string?>? settings = null)
        : this(azurite.ConnectionString, tablePrefix, environment, settings)
    {
    }

    public AscCollabApp(string connectionString, string? tablePrefix = null, string environment = "Development", IDictionary<string, string?>? settings = null)
    {
        _connectionString = connectionString;
        _environment = environment;
        TablePrefix = tablePrefix ?? AzuriteFixture.NewTablePrefix();
        var ports = FreePorts.SiloAndGateway();
        _settings = new Dictionary<string, string?>
        {
            ["AscCollab:Chairmanship:0:Member"] = Chair,
            ["AscCollab:Chairmanship:0:From"] = "2000-01-01T00:00:00Z",
            ["AscCollab:Chairmanship:0:To"] = "2100-01-01T00:00:00Z",
            // Every app is a silo of its own cluster (its own tables): its own ports, on loopback.
            ["Cluster:SiloPort"] = ports.Silo,
            ["Cluster:GatewayPort"] = ports.Gateway,
            ["Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Cluster:ListenOnAnyAddress"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Development keys (receipts) in the tests' own folder, never the clone's .data.
            ["AscCollab:Keys:Folder"] = TestKeys.Folder,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string TablePrefix { get; }

    /// <summary>Settings a non-Development host needs: an OpenID Connect authority that is never contacted (.invalid never resolves), a receipt signing key.</summary>
    public static Dictionary<string, string?> ProductionAuth => new()
    {
        ["Auth:Authority"] = "https://login.asccollab.invalid/",
        ["Auth:Audience"] = "asccollab",
        // Outside Development the audit key must be configured (test-only secret).
        ["AscCollab:Integrity:AuditKeys:p1"] = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray()),
        ["AscCollab:Receipts:SigningKeys:0:Kid"] = "test-production",
        ["AscCollab:Receipts:SigningKeys:0:Pem"] = TestKeys.NewReceiptKeyPem(),
    };

    /// <summary>The server's address once <see cref="ServeOnLoopback"/> started it on Kestrel; null on the in-memory test server.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>Serves on real Kestrel at 127.0.0.1 on a free port, for Node and browser clients; returns the base address.</summary>
    public Uri ServeOnLoopback()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = new Uri(addresses.Addresses.Single().TrimEnd('/') + "/");
        return BaseUrl;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("ASCCOLLAB_STORAGE", _connectionString);
        builder.UseSetting("Storage:TablePrefix", TablePrefix);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client with a Development token for <paramref name="member"/> in <paramref name="role"/>.</summary>
    public async Task<HttpClient> ClientFor(string member, string role = "delegate")
    {
        var client = BaseUrl is null ? CreateClient() : new HttpClient { BaseAddress = BaseUrl, Timeout = TestTimeouts.Default };
        var response = await client.PostAsJsonAsync("/api/dev/token", new { member, role }).WithTimeout();
        Assert.True(response.IsSuccessStatusCode, $"token for {member}/{role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>().WithTimeout())!["token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>Small HTTP helpers; every call is bounded by <see cref="TestTimeouts.Default"/>.</summary>
public static class Http
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response, int expectedStatus)
    {
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True((int)response.StatusCode == expectedStatus, $"expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<JsonNode> GetJson(this HttpClient client, string path, int expectedStatus = 200) =>
        await (await client.GetAsync(path).WithTimeout()).Json(expectedStatus);

    public static async Task<JsonNode> PostJson(this HttpClient client, string path, object body, int expectedStatus = 200) =>
        await (await client.PostAsJsonAsync(path, body).WithTimeout()).Json(expectedStatus);

    public static async Task<JsonNode> PutJson(this HttpClient client, string path, object body, int expectedStatus = 200) =>
        await (await client.PutAsJsonAsync(path, body).WithTimeout()).Json(expectedStatus);

    /// <summary>Asserts an RFC 9457 Problem Details answer with <paramref name="status"/> and the stable <paramref name="code"/>.</summary>
    public static async Task<JsonNode> Problem(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString() ?? "", StringComparison.Ordinal);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), body);
        return problem;
    }

    public static async Task<JsonNode> ProblemFromGet(this HttpClient client, string path, int status, string code) =>
        await (await client.GetAsync(path).WithTimeout()).Problem(status, code);

    public static async Task<JsonNode> ProblemFromPost(this HttpClient client, string path, object body, int status, string code) =>
        await (await client.PostAsJsonAsync(path, body).WithTimeout()).Problem(status, code);

    public static async Task<JsonNode> ProblemFromPut(this HttpClient client, string path, object body, int status, string code) =>
        await (await client.PutAsJsonAsync(path, body).WithTimeout()).Problem(status, code);

    public static StringContent RawJson(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static string Str(this JsonNode node, string property) => node[property]!.GetValue<string>();

    public static long Number(this JsonNode node, string property) => node[property]!.GetValue<long>();

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
