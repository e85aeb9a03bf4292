using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>
/// Every answer carries nosniff, DENY framing, no referrer and a Content-Security-Policy without
/// inline script; the server's own HTML pages (report, error pages) allow exactly their inline
/// stylesheet by hash, and hold no script, handler or style attribute.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed partial class SecurityHeadersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string ClientPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private AscCollabApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/", 200)]
    [InlineData("/index.html", 200)]
    [InlineData("/dist/app.js", 200)]
    [InlineData("/dist/app.css", 200)]
    [InlineData("/api/activities", 401)]
    [InlineData("/no/such/page", 404)]
    [InlineData("/health", 200)]
    public async Task Every_answer_carries_the_security_headers(string path, int status)
    {
        using var client = _app.CreateClient();
        using var response = await client.GetAsync(path).WithTimeout();

        Assert.Equal(status, (int)response.StatusCode);
        AssertCommonHeaders(response);
        Assert.Equal(ClientPolicy, Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task The_web_client_page_has_no_inline_script_style_or_handler()
    {
        using var client = _app.CreateClient();
        var page = await client.GetStringAsync("/").WithTimeout();

        AssertNoInlineCode(page);
        Assert.DoesNotContain("<style", page, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("<script type=\"module\" src=\"dist/app.js\"></script>", page);
    }

    [Fact]
    public async Task The_HTML_report_and_the_error_pages_allow_only_their_own_stylesheet()
    {
        var chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
        var my = await _app.ClientFor("MY");
        var id = await my.Propose(Workflow.Unique("Headers"));
        await chair.Circulate(id);

        foreach (var path in new[] { $"/api/reports/annual/{DateTimeOffset.UtcNow.Year}/html", "/errors", "/errors/not_found" })
        {
            using var response = await chair.GetAsync(path).WithTimeout();
            var page = await response.Content.ReadAsStringAsync().WithTimeout();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {page}");
            AssertCommonHeaders(response);
            AssertNoInlineCode(page);

            var style = Assert.Single(StyleElement().Matches(page)).Groups["css"].Value;
            var hash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
            Assert.Equal($"default-src 'none'; style-src '{hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        }
    }

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    private static void AssertNoInlineCode(string page)
    {
        Assert.DoesNotMatch(InlineScript(), page);
        Assert.DoesNotMatch(Handler(), page);
        Assert.DoesNotMatch(StyleAttribute(), page);
        Assert.DoesNotContain("javascript:", page, StringComparison.OrdinalIgnoreCase);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing from {response.RequestMessage?.RequestUri}");

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<[^>]+\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex Handler();

    [GeneratedRegex("<[^>]+\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("<style>(?<css>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
