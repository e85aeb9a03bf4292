using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AscCollab.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace AscCollab.Server.Tests;

/// <summary>
/// Calls SignalR cannot bind (unknown method, missing or extra arguments, wrong types, enums as
/// numbers) are refused with a code like every other refusal; an operation's size limit is the
/// same over the hub and REST; a delete past the end says so. A real SignalR client (.NET) on a
/// real server.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class HubRefusalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LiveServer _server = null!;
    private HubConnection _hub = null!;
    private string _id = "";

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start(azurite);
        _id = await _server.CreateProposalAsync("MY", new string('a', 1_500));
        _hub = await ConnectAsync(_server, "MY");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _server.DisposeAsync();
    }

    internal static async Task<HubConnection> ConnectAsync(LiveServer server, string member)
    {
        var token = await server.TokenAsync(member);
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(server.BaseUrl), LiveSetup.HubPath), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await hub.StartAsync().WithTimeout();
        return hub;
    }

    /// <summary>The refusal's "code: detail", after SignalR's prefix ("… HubException: ").</summary>
    public static async Task<string> RefusalAsync(HubConnection hub, string method, params object?[] args)
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeCoreAsync(method, typeof(object), args)).WithTimeout();
        const string Marker = "HubException: ";
        var at = refused.Message.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, refused.Message);
        return refused.Message[(at + Marker.Length)..];
    }

    [Theory]
    [InlineData("Nope", new object?[] { }, "invalid_input: There is no hub method 'Nope'; the methods are ")]
    [InlineData("OpenProposal", new object?[] { }, "invalid_input: OpenProposal(proposalId) takes 1 argument(s); 0 were sent.")]
    [InlineData("SubmitEdit", new object?[] { "p-aaaaaaaaaa" }, "invalid_input: SubmitEdit(proposalId, baseRevision, op) takes 3 argument(s); 1 were sent.")]
    [InlineData("GetToDo", new object?[] { "extra" }, "invalid_input: GetToDo() takes 0 argument(s); 1 were sent.")]
    [InlineData("OpenProposal", new object?[] { 12 }, "invalid_input: Argument 1 of OpenProposal(proposalId), proposalId, must be a string.")]
    [InlineData("SubmitEdit", new object?[] { "p-aaaaaaaaaa", "zero", new object[] { "x" } }, "invalid_input: Argument 2 of SubmitEdit(proposalId, baseRevision, op), baseRevision, must be a whole number.")]
    [InlineData("GetEditsSince", new object?[] { "p-aaaaaaaaaa", 1.5 }, "invalid_input: Argument 2 of GetEditsSince(proposalId, revision), revision, must be a whole number.")]
    [InlineData("UpdateCursor", new object?[] { "p-aaaaaaaaaa", 0, "start" }, "invalid_input: Argument 3 of UpdateCursor(proposalId, revision, cursor), cursor, must be null or an object { anchor, head } of whole numbers.")]
    [InlineData("SignOff", new object?[] { "p-aaaaaaaaaa", 2, null, 0 }, "invalid_input: Argument 2 of SignOff(proposalId, position, reason, revision), position, must be one of: Pending, Concur, Abstain, Object.")]
    [InlineData("SignOff", new object?[] { "p-aaaaaaaaaa", "Concur", null, "0" }, "invalid_input: Argument 4 of SignOff(proposalId, position, reason, revision), revision, must be a whole number.")]
    public async Task Calls_that_do_not_bind_are_refused_with_a_code_and_the_connection_stays(string method, object?[] args, string expected)
    {
        var refusal = await RefusalAsync(_hub, method, args);

        Assert.StartsWith(expected, refusal, StringComparison.Ordinal);
        if (method == "Nope")
        {
            Assert.Contains("OpenProposal, ", refusal, StringComparison.Ordinal);
        }
        // The connection is still usable.
        Assert.Equal(HubConnectionState.Connected, _hub.State);
        var opened = await _hub.InvokeAsync<JsonElement>("OpenProposal", _id).WithTimeout();
        Assert.Equal(0, opened.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task An_enum_given_as_a_number_changes_nothing_over_the_hub_or_REST()
    {
        var chair = await _server.TokenAsync(LiveServer.Chair, "chair");
        using var circulate = await PostAsync($"/api/proposals/{_id}/circulate", chair, new { rule = 0 });
        Assert.Equal(400, (int)circulate.StatusCode);
        Assert.Contains("\"code\":\"invalid_input\"", await circulate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var signOff = await PutAsync($"/api/proposals/{_id}/sign-offs/MY", await _server.TokenAsync("MY"), new { position = 2, revision = 0 });
        Assert.Equal(400, (int)signOff.StatusCode);

        Assert.StartsWith("invalid_input: Argument 2 of SignOff", await RefusalAsync(_hub, "SignOff", _id, 1, null, 0L), StringComparison.Ordinal);
        var snapshot = await _server.SendAsync(HttpMethod.Get, $"/api/proposals/{_id}", "MY");
        Assert.Equal("Drafting", snapshot.GetProperty("status").GetString());
    }

    [Fact]
    public async Task One_operation_size_limit_holds_over_the_hub_and_REST()
    {
        // "x", 1, "x", 1, … : 2,001 components, each valid on a 1,500-character text.
        var op = new List<object> { "x" };
        for (var i = 0; i < 1_000; i++)
        {
            op.Add(1);
            op.Add("x");
        }
        Assert.StartsWith("too_large: One operation may have at most 2000 components", await RefusalAsync(_hub, "SubmitEdit", _id, 0L, op), StringComparison.Ordinal);

        using var rest = await PostAsync($"/api/proposals/{_id}/edits", await _server.TokenAsync("MY"), new { baseRevision = 0, op });
        var body = await rest.Content.ReadAsStringAsync();
        Assert.True((int)rest.StatusCode == 413, body);
        Assert.Contains("\"code\":\"too_large\"", body, StringComparison.Ordinal);
        Assert.Contains("at most 2000 components", body, StringComparison.Ordinal);

        // 2,000 components pass on both paths.
        op.RemoveAt(op.Count - 1);
        op.RemoveAt(op.Count - 1);
        op.Add("y");
        Assert.Equal(2_000, op.Count);
        using var accepted = await PostAsync($"/api/proposals/{_id}/edits", await _server.TokenAsync("MY"), new { baseRevision = 0, op });
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        Assert.Equal(1, (await _server.ReadProposalAsync(_id)).Revision);
    }

    [Fact]
    public async Task A_delete_past_the_end_says_so()
    {
        var far = await RefusalAsync(_hub, "SubmitEdit", _id, 0L, new object[] { new { d = 1_000_000 } });
        Assert.StartsWith("invalid_op: The operation deletes 1000000 code points, past the end of the text", far, StringComparison.Ordinal);
        Assert.DoesNotContain("insert", far, StringComparison.Ordinal);

        var near = await RefusalAsync(_hub, "SubmitEdit", _id, 0L, new object[] { new { d = 2_000 } });
        Assert.StartsWith("invalid_op: ", near, StringComparison.Ordinal);
        Assert.DoesNotContain("insert", near, StringComparison.Ordinal);
        Assert.Equal(0, (await _server.ReadProposalAsync(_id)).Revision);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string token, object body) => SendAsync(HttpMethod.Post, path, token, body);

    private Task<HttpResponseMessage> PutAsync(string path, string token, object body) => SendAsync(HttpMethod.Put, path, token, body);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _server.Http.SendAsync(request).WithTimeout();
    }
}
