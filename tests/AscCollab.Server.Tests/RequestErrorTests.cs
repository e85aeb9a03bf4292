using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using AscCollab.Grains;

namespace AscCollab.Server.Tests;

/// <summary>
/// Bodies that do not fit: each refusal names the field and what it expects in <c>errors</c>
/// (docs/api.md, Errors), never a .NET type name, and its <c>type</c> is a page the server serves.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RequestErrorTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private AscCollabApp _app = null!;
    private HttpClient _chair = null!;
    private HttpClient _my = null!;

    public async Task InitializeAsync()
    {
        _app = new AscCollabApp(azurite);
        _chair = await _app.ClientFor(AscCollabApp.Chair, "chair");
        _my = await _app.ClientFor("MY");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("""{ "activity": "confidence-building-measures", "title": 123, "text": "x" }""", "title", "title must be a string.")]
    [InlineData("""{ "activity": ["a"], "title": "t", "text": "x" }""", "activity", "activity must be a string.")]
    [InlineData("""{ "activity": "confidence-building-measures", "title": "t", "text": "x", "group": true }""", "group", "group must be a string.")]
    public async Task A_wrong_type_for_a_string_field_names_the_field(string body, string field, string message) =>
        await AssertFieldError(await _my.PostAsync("/api/proposals", Http.RawJson(body)).WithTimeout(), field, message);

    [Theory]
    [InlineData("""{ "baseRevision": "one", "op": ["x"] }""", "baseRevision", "baseRevision must be a whole number.")]
    [InlineData("""{ "baseRevision": 1.5, "op": ["x"] }""", "baseRevision", "baseRevision must be a whole number.")]
    [InlineData("""{ "baseRevision": 0, "op": { "insert": "x" } }""", "op", "op must be an ot-text-unicode operation")]
    public async Task A_wrong_type_for_a_number_or_an_operation_names_the_field(string body, string field, string message)
    {
        var id = await _my.Propose(Workflow.Unique("Types"));
        await AssertFieldError(await _my.PostAsync($"/api/proposals/{id}/edits", Http.RawJson(body)).WithTimeout(), field, message);
    }

    [Fact]
    public async Task A_wrong_type_for_a_date_or_a_list_names_the_field()
    {
        var id = await _my.Propose(Workflow.Unique("Dates"));
        await AssertFieldError(await _chair.PutAsync($"/api/proposals/{id}/deadline", Http.RawJson("""{ "deadline": "tomorrow" }""")).WithTimeout(),
            "deadline", "deadline must be a date and time in ISO 8601 with offset");
        await AssertFieldError(await _chair.PostAsync("/api/groups", Http.RawJson("""{ "id": "g", "name": "n", "mandate": "m", "coordinator": "MY", "activities": "cbm" }""")).WithTimeout(),
            "activities", "activities must be a JSON array, each a string.");
    }

    [Theory]
    [InlineData("""{ "position": "maybe", "revision": 0 }""")]
    [InlineData("""{ "position": "Pending", "revision": 0 }""")]
    [InlineData("""{ "position": 2, "revision": 0 }""")]
    [InlineData("""{ "position": "2", "revision": 0 }""")]
    public async Task An_enum_refuses_numbers_and_unknown_names_and_lists_the_allowed_values(string body)
    {
        var id = await _my.Propose(Workflow.Unique("Enums"));
        await _chair.Circulate(id);
        var before = await _my.Fingerprint(id);

        await AssertFieldError(await _my.PutAsync($"/api/proposals/{id}/sign-offs/MY", Http.RawJson(body)).WithTimeout(),
            "position", "position must be one of: Concur, Abstain, Object.");
        Assert.Equal(before, await _my.Fingerprint(id));
    }

    [Theory]
    [InlineData("""{ "rule": 0 }""")]
    [InlineData("""{ "rule": "Consensus" }""")]
    public async Task The_rule_lists_its_allowed_values(string body)
    {
        var id = await _my.Propose(Workflow.Unique("Rules"));
        await AssertFieldError(await _chair.PostAsync($"/api/proposals/{id}/circulate", Http.RawJson(body)).WithTimeout(),
            "rule", "rule must be one of: Unanimity, NoObjection, SilenceProcedure.");
    }

    [Fact]
    public async Task Enum_names_are_still_read_in_any_case()
    {
        var id = await _my.Propose(Workflow.Unique("Case"));
        await _chair.Circulate(id, rule: "unanimity");
        var snapshot = await _my.PutJson($"/api/proposals/{id}/sign-offs/MY", new { position = "concur", revision = 0 });
        Assert.Equal("Concur", snapshot["signOffs"]!.AsArray().Single(s => s!.Str("member") == "MY")!.Str("position"));
    }

    [Fact]
    public async Task An_unknown_field_is_refused_not_ignored()
    {
        var before = (await _my.GetJson("/api/proposals")).AsArray().Count;

        var problem = await AssertFieldError(
            await _my.PostAsync("/api/proposals", Http.RawJson("""{ "activity": "confidence-building-measures", "titel": "Typo", "title": "t", "text": "x" }""")).WithTimeout(),
            "titel", "titel is not a field of this request; its fields are { activity, title, text, group? }.");
        Assert.Single(problem["errors"]!.AsObject());
        Assert.Equal(before, (await _my.GetJson("/api/proposals")).AsArray().Count);

        var id = await _my.Propose(Workflow.Unique("Unknown"));
        await _chair.Circulate(id);
        await AssertFieldError(await _my.PutAsJsonAsync($"/api/proposals/{id}/sign-offs/MY", new { position = "Object", revision = 0, reasons = "typo" }).WithTimeout(),
            "reasons", "reasons is not a field of this request");
    }

    [Fact]
    public async Task An_empty_body_names_every_required_field()
    {
        var response = await _my.PostAsync("/api/proposals", new StringContent("", System.Text.Encoding.UTF8, "application/json")).WithTimeout();

        var problem = await AssertNoDotNet(response);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(new[] { "activity", "text", "title" }, errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("activity is required: a string.", errors["activity"]![0]!.GetValue<string>());
        Assert.DoesNotContain("Implicit body", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    public async Task A_null_or_empty_object_names_the_missing_fields(string body)
    {
        var id = await _my.Propose(Workflow.Unique("Null"));
        var problem = await AssertNoDotNet(await _my.PostAsync($"/api/proposals/{id}/edits", Http.RawJson(body)).WithTimeout());
        Assert.Equal("baseRevision is required: a whole number.", problem["errors"]!["baseRevision"]![0]!.GetValue<string>());
        Assert.StartsWith("op is required: an ot-text-unicode operation", problem["errors"]!["op"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{ "activity": "confidence-building-measures", "title": """)]
    [InlineData("[]")]
    public async Task A_body_that_is_not_a_JSON_object_is_named_as_the_body(string body)
    {
        var problem = await AssertNoDotNet(await _my.PostAsync("/api/proposals", Http.RawJson(body)).WithTimeout());
        Assert.NotEmpty(problem["errors"]!["$"]!.AsArray());
    }

    [Fact]
    public async Task A_query_value_that_cannot_be_read_names_the_parameter()
    {
        var id = await _my.Propose(Workflow.Unique("Query"));
        await AssertFieldError(await _my.GetAsync($"/api/proposals/{id}/edits?since=abc").WithTimeout(), "since", "since must be a whole number; \"abc\" is not.");
    }

    [Fact]
    public async Task Every_problem_type_is_a_page_the_server_serves()
    {
        var anonymous = _app.CreateClient();
        var problems = new[]
        {
            await _my.ProblemFromGet("/api/proposals/p-aaaaaaaaaa", 404, "not_found"),
            await _my.ProblemFromGet("/api/no-such-route", 404, "not_found"),
            await (await anonymous.GetAsync("/api/proposals").WithTimeout()).Problem(401, "unauthorized"),
            await _my.ProblemFromPost("/api/proposals", new { activity = Workflow.Activity, title = 5, text = "" }, 400, "invalid_input"),
            await _my.ProblemFromPost("/api/groups", new { id = Workflow.Unique("not-the-chair"), name = "n", mandate = "m", coordinator = "MY", activities = new[] { Workflow.Activity } }, 403, "forbidden"),
            await (await _my.DeleteAsync("/api/proposals").WithTimeout()).Problem(405, "method_not_allowed"),
        };

        foreach (var problem in problems)
        {
            var code = problem.Str("code");
            Assert.Equal($"/errors/{code}", problem.Str("type"));
            var page = await anonymous.GetAsync(problem.Str("type")).WithTimeout();
            var html = await page.Content.ReadAsStringAsync().WithTimeout();
            Assert.True(page.IsSuccessStatusCode, $"{problem.Str("type")}: {(int)page.StatusCode} {html}");
            Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            Assert.Contains($"<h2><code>{code}</code></h2>", html, StringComparison.Ordinal);
            Assert.Contains("What to do", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_error_code_is_documented_and_served()
    {
        var codes = new[] { typeof(DomainErrorCodes), typeof(ErrorCodes), typeof(HubErrorCodes) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("outcome_unknown", codes);
        var anonymous = _app.CreateClient();

        foreach (var code in codes)
        {
            Assert.Contains(code, ErrorPages.Codes);
            var page = await anonymous.GetAsync($"/errors/{code}").WithTimeout();
            Assert.True(page.IsSuccessStatusCode, $"/errors/{code}: {(int)page.StatusCode}");
        }
        var index = await (await anonymous.GetAsync("/errors").WithTimeout()).Content.ReadAsStringAsync().WithTimeout();
        Assert.All(codes, code => Assert.Contains($"id=\"{code}\"", index, StringComparison.Ordinal));
        await (await anonymous.GetAsync("/errors/no_such_code").WithTimeout()).Problem(404, "not_found");
    }

    /// <summary>400 invalid_input whose errors[field] starts with <paramref name="message"/>, and no .NET names anywhere.</summary>
    private static async Task<JsonNode> AssertFieldError(HttpResponseMessage response, string field, string message)
    {
        var problem = await AssertNoDotNet(response);
        var messages = problem["errors"]?[field]?.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.True(messages is { Count: > 0 }, $"no errors.{field} in {problem.ToJsonString()}");
        Assert.Contains(messages, m => m.StartsWith(message, StringComparison.Ordinal));
        Assert.Contains(message.TrimEnd('.'), problem.Str("detail"), StringComparison.Ordinal);
        return problem;
    }

    private static async Task<JsonNode> AssertNoDotNet(HttpResponseMessage response)
    {
        var problem = await response.Problem(400, "invalid_input");
        var text = problem.ToJsonString();
        foreach (var leak in new[] { "AscCollab.", "System.", "Nullable", "Int64", "could not be converted", "Path: $", "parameter \"" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }
        Assert.Equal("/errors/invalid_input", problem.Str("type"));
        return problem;
    }
}
