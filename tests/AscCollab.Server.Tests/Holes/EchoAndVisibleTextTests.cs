using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AscCollab.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AscCollab.Server.Tests;

/// <summary>
/// Refusals quote what the caller sent at most 64 characters long, in answers and in log lines;
/// titles and names of invisible characters only are refused; bidi controls in the report cannot
/// reorder the page.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class EchoAndVisibleTextTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly LogCapture _logs = new();
    private AscCollabApp _app = null!;
    private WebApplicationFactory<Program> _host = null!;
    private HttpClient _my = null!;
    private HttpClient _chair = null!;

    public async Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite, settings: new Dictionary<string, string?>
        {
            // Our refusal lines (some are Debug); the framework's levels stay as configured (appsettings.json).
            ["Logging:LogLevel:AscCollab"] = "Debug",
        });
        _host = _app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(_logs)));
        _my = await ClientFor("MY");
        _chair = await ClientFor(AscCollabApp.Chair, "chair");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_five_thousand_character_value_comes_back_and_into_the_log_at_most_64_characters_long()
    {
        var x = new string('x', 5_000);
        var answers = new List<string>
        {
            (await _my.ProblemFromGet("/api/proposals/p-" + x, 404, "not_found")).ToJsonString(Relaxed),
            (await _my.ProblemFromGet("/api/members/" + x, 404, "not_found")).ToJsonString(Relaxed),
            (await _my.ProblemFromGet("/api/groups/" + x, 404, "not_found")).ToJsonString(Relaxed),
            (await _my.ProblemFromGet("/api/proposals/p-aaaaaaaaaa/edits?since=" + x, 400, "invalid_input")).ToJsonString(Relaxed),
            (await _my.ProblemFromPut("/api/proposals/p-aaaaaaaaaa/sign-offs/" + x, new { position = "Concur", revision = 0 }, 403, "forbidden")).ToJsonString(Relaxed),
            (await _my.ProblemFromPost("/api/proposals", new { activity = x, title = "T", text = "" }, 400, "invalid_input")).ToJsonString(Relaxed),
        };
        await using (var hub = await HubAsync("MY"))
        {
            answers.Add((await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("OpenProposal", "p-" + x)).WithTimeout()).Message);
            answers.Add((await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("UpdateCursor", x, 0L, null)).WithTimeout()).Message);
            answers.Add((await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>(x)).WithTimeout()).Message);
        }

        foreach (var answer in answers)
        {
            Assert.DoesNotContain(new string('x', 65), answer, StringComparison.Ordinal);
            Assert.True(answer.Contains(new string('x', 60) + "…", StringComparison.Ordinal), answer);
        }
        Assert.Contains(_logs.Lines, l => l.Contains(new string('x', 60) + "…", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(new string('x', 65), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\u200B\u200B")]              // zero-width spaces
    [InlineData("\u202E\u2066\u2069\u202C")]  // bidi controls
    [InlineData("\u3164")]                    // Hangul filler
    [InlineData("\u0301\u200D\uFE0F")]        // a combining mark, a joiner, a variation selector
    [InlineData("\u00A0\u2800\uFEFF")]        // no-break space, braille blank, BOM
    public async Task A_title_or_name_of_invisible_characters_only_is_refused_naming_the_field(string invisible)
    {
        var proposal = await _my.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = invisible, text = "" }, 400, "invalid_input");
        Assert.StartsWith("title must contain a visible character", proposal["errors"]!["title"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var activity = await _chair.ProblemFromPost("/api/activities", new { id = Workflow.Unique("invisible"), title = invisible, component = "conflict-prevention" }, 400, "invalid_input");
        Assert.NotNull(activity["errors"]!["title"]);

        var group = await _chair.ProblemFromPost("/api/groups", new { id = Workflow.Unique("invisible"), name = invisible, mandate = "m", coordinator = "MY", activities = new[] { Workflow.Activity }, participants = new[] { "MY", "TH" } }, 400, "invalid_input");
        Assert.NotNull(group["errors"]!["name"]);
    }

    [Fact]
    public async Task Bidi_controls_are_kept_out_of_the_report_and_member_text_is_isolated()
    {
        // Visible text with an override is a valid title (right-to-left names need the controls).
        var title = Workflow.Unique("Patrols") + " \u202Eexe.txt";
        var id = await _my.Propose(title);
        await _chair.Circulate(id);
        await _my.SignOff(id, "MY", "Object", 0, "Reason \u2067with an isolate");

        var year = DateTimeOffset.UtcNow.Year;
        var html = await (await _chair.GetAsync($"/api/reports/annual/{year}/html").WithTimeout()).Content.ReadAsStringAsync();
        var markdown = await (await _chair.GetAsync($"/api/reports/annual/{year}/markdown").WithTimeout()).Content.ReadAsStringAsync();

        Assert.Contains("<strong><bdi>" + title[..^8] + "exe.txt</bdi></strong>", html, StringComparison.Ordinal);
        Assert.Contains("<bdi>", html[html.IndexOf("class=\"facts\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        foreach (var report in new[] { html, markdown })
        {
            Assert.DoesNotContain("\u202E", report, StringComparison.Ordinal);
            Assert.DoesNotContain("\u2067", report, StringComparison.Ordinal);
            Assert.DoesNotContain("&#x202E;", report, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("&#x2067;", report, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<HttpClient> ClientFor(string member, string role = "delegate")
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(member, role));
        return client;
    }

    private async Task<string> TokenAsync(string member, string role)
    {
        using var anonymous = _host.CreateClient();
        return (await anonymous.PostJson("/api/dev/token", new { member, role }))["token"]!.GetValue<string>();
    }

    private async Task<HubConnection> HubAsync(string member)
    {
        var token = await TokenAsync(member, "delegate");
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.Server.BaseAddress, LiveSetup.HubPath), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => _host.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await hub.StartAsync().WithTimeout();
        return hub;
    }

    /// <summary>Every formatted log line of the host, with its exception's message.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture._lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " | " + exception.Message));
        }
    }
}
