using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using HealthCheckReport = Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport;

namespace AscCollab.Server.Tests;

/// <summary>The host: health, startup checks, OpenAPI, the Development token issuer and where it is absent.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class HostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_is_ok_once_storage_answers_and_the_silo_is_active()
    {
        await using var app = new AscCollabApp(azurite);
        var client = app.CreateClient();

        var response = await client.GetAsync("/health").WithTimeout();
        var health = await response.Json(200);

        Assert.Equal("ok", health.Str("status"));
        Assert.Equal("reachable", health.Str("storage"));
        Assert.Equal(1, health.Number("silos"));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Health_is_503_when_storage_does_not_answer()
    {
        // A node whose storage went away after it started: the storage check fails as the probe
        // does then (the probe itself is tested against a dead endpoint in the storage tests).
        await using var app = new AscCollabApp(azurite);
        var client = app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.Configure<HealthCheckServiceOptions>(o =>
                o.Registrations.Single(r => r.Name == HealthApi.StorageCheck).Factory = _ => new UnreachableStorage()))).CreateClient();

        var response = await client.GetAsync("/health").WithTimeout();

        var health = await response.Json(503);
        Assert.Equal("unavailable", health.Str("status"));
        Assert.Equal("unreachable", health.Str("storage"));
        Assert.Equal(1, health.Number("silos"));
        Assert.Contains("not reachable", health.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public void Health_says_starting_while_the_local_silo_joins()
    {
        var report = new HealthCheckReport(new Dictionary<string, HealthReportEntry>
        {
            [HealthApi.StorageCheck] = new(HealthStatus.Healthy, "reachable", TimeSpan.Zero, null, null),
            [HealthApi.SiloCheck] = new(HealthStatus.Unhealthy, "The local silo is not active yet (Joining).", TimeSpan.Zero, null,
                new Dictionary<string, object> { [SiloHealthCheck.SilosKey] = 1, [SiloHealthCheck.StatusKey] = SiloStatus.Joining }),
        }, TimeSpan.Zero);

        var answer = HealthApi.Answer(report);

        Assert.Equal(new HealthReport("starting", "reachable", 1, "The local silo is not active yet (Joining)."), answer);
    }

    private sealed class UnreachableStorage : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(HealthCheckResult.Unhealthy("Azure table 'x' is not reachable: HTTP 0 Connection refused"));
    }

    [Theory]
    [InlineData("", "ASCCOLLAB_STORAGE")]
    [InlineData("this is not a connection string", "ASCCOLLAB_STORAGE")]
    public void Startup_fails_clearly_without_a_usable_storage_connection_string(string value, string named)
    {
        using var app = new AscCollabApp(value);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        // Read while the host is built (the silo needs it), so before any options validation.
        var invalid = Assert.IsType<InvalidOperationException>(Innermost<InvalidOperationException>(error));
        Assert.StartsWith(named, invalid.Message, StringComparison.Ordinal);
        Assert.Equal(invalid.Message, StartupChecks.Describe(error, configuration: null));
    }

    [Fact]
    public void Startup_fails_outside_Development_without_an_OpenID_Connect_authority()
    {
        var settings = AscCollabApp.ProductionAuth;
        settings.Remove("Auth:Authority");
        settings.Remove("Auth:Audience");
        using var app = new AscCollabApp(azurite, environment: "Production", settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Innermost<OptionsValidationException>(error));
        Assert.Contains("Auth:Authority", validation.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Audience", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dev_token_endpoint_does_not_exist_outside_Development()
    {
        await using var app = new AscCollabApp(azurite, environment: "Production", settings: AscCollabApp.ProductionAuth);
        var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/dev/token", new { member = "MY", role = "delegate" }).WithTimeout();
        await response.Problem(404, "not_found");

        // The API itself is there and wants a token from the configured provider.
        var activities = await client.GetAsync("/api/activities").WithTimeout();
        await activities.Problem(401, "unauthorized");
        Assert.Contains("Bearer", activities.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_the_dev_issuer_names_member_and_role()
    {
        await using var app = new AscCollabApp(azurite);
        var client = app.CreateClient();

        var token = (await client.PostJson("/api/dev/token", new { member = "MY", role = "delegate" })).Str("token");

        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        var claims = JsonNode.Parse(Convert.FromBase64String(payload))!;
        Assert.Equal("MY", claims.Str("member"));
        Assert.Equal("delegate", claims.Str("role"));
    }

    [Theory]
    [InlineData("XX", "delegate")]
    [InlineData("my", "delegate")]
    [InlineData("MY", "president")]
    [InlineData("MY", "")]
    [InlineData(null, "chair")]
    public async Task The_dev_token_endpoint_refuses_unknown_members_and_roles(string? member, string role)
    {
        await using var app = new AscCollabApp(azurite);
        var client = app.CreateClient();

        await client.ProblemFromPost("/api/dev/token", new { member, role }, 400, "invalid_input");
    }

    [Fact]
    public async Task A_member_added_in_configuration_gets_tokens_without_code_changes()
    {
        await using var app = new AscCollabApp(azurite, settings: new Dictionary<string, string?>
        {
            ["AscCollab:Members:0:Code"] = "TL",
            ["AscCollab:Members:0:Name"] = "Timor-Leste",
        });
        var tl = await app.ClientFor("TL");

        var members = (await tl.GetJson("/api/members")).AsArray();

        Assert.Equal(11, members.Count);
        Assert.Contains(members, m => m!.Str("code") == "TL");
        Assert.Equal("Timor-Leste", (await tl.GetJson("/api/members/TL")).Str("name"));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_endpoints()
    {
        await using var app = new AscCollabApp(azurite);
        var client = app.CreateClient();

        var document = await client.GetJson("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var expected in new[]
        {
            "/health", "/api/dev/token", "/api/members", "/api/members/{code}/todo", "/api/activities", "/api/components",
            "/api/groups", "/api/groups/{id}", "/api/groups/{id}/consensus", "/api/proposals", "/api/proposals/{id}",
            "/api/proposals/{id}/circulate", "/api/proposals/{id}/sign-offs/{member}", "/api/proposals/{id}/adoption",
            "/api/proposals/{id}/withdraw", "/api/proposals/{id}/recommend", "/api/proposals/{id}/audit", "/api/proposals/{id}/audit/verify",
            "/api/proposals/{id}/edits", "/api/chairmanship", "/api/progress", "/api/reports/annual/{year}/markdown",
            "/api/reports/annual/{year}/html", "/metrics",
        })
        {
            Assert.Contains(expected, paths);
        }
        Assert.NotNull(document["components"]?["securitySchemes"]?["Bearer"]);
    }

    [Fact]
    public async Task Metrics_show_Orleans_and_AscCollab_at_work()
    {
        await using var app = new AscCollabApp(azurite);
        var secretariat = await app.ClientFor("ASEC", "secretariat");
        await secretariat.GetJson("/api/activities");

        var metrics = await secretariat.GetJson("/metrics");

        var instruments = metrics["instruments"]!.AsArray().Select(i => i!).ToDictionary(i => i.Str("name"));
        Assert.True(instruments["orleans-catalog-activation-created"]["value"]!.GetValue<double>() >= 1, metrics.ToJsonString());
        var calls = instruments["orleans-app-requests-latency"];
        Assert.Equal("histogram", calls.Str("kind"));
        Assert.True(calls.Number("count") >= 1, metrics.ToJsonString());
        Assert.Equal(1, instruments[AscCollabMetrics.ActiveSilos]["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_with_Problem_Details()
    {
        await using var app = new AscCollabApp(azurite);
        var client = await app.ClientFor("MY");

        await client.ProblemFromGet("/api/nothing-here", 404, "not_found");
        await (await client.DeleteAsync("/api/activities").WithTimeout()).Problem(405, "method_not_allowed");
    }

    private static Exception? Innermost<T>(Exception error) where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return e;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Innermost<T>).FirstOrDefault(x => x is not null) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}
