using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AscCollab.Bench;

/// <summary>The REST calls the bench needs: Development tokens, an activity, a new proposal.</summary>
internal sealed class ServerApi(string baseUrl) : IDisposable
{
    /// <summary>The ten ASEAN member states; the server's roster decides, this is only the request.</summary>
    public static readonly string[] Members = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<IReadOnlyList<MemberToken>> TokensAsync(CancellationToken cancellationToken)
    {
        var tokens = new List<MemberToken>();
        foreach (var member in Members)
        {
            using var response = await _http.PostAsJsonAsync("/api/dev/token", new { member, role = "delegate" }, cancellationToken);
            await EnsureAsync(response, $"POST /api/dev/token for {member}", cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            tokens.Add(new MemberToken(member, body.GetProperty("token").GetString()!));
        }
        return tokens;
    }

    public async Task<string> CreateProposalAsync(MemberToken proposer, string text, CancellationToken cancellationToken)
    {
        using var activities = await _http.SendAsync(Authorized(HttpMethod.Get, "/api/activities", proposer), cancellationToken);
        await EnsureAsync(activities, "GET /api/activities", cancellationToken);
        var list = await activities.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var activity = list.EnumerateArray().First().GetProperty("id").GetString();

        using var request = Authorized(HttpMethod.Post, "/api/proposals", proposer);
        request.Content = JsonContent.Create(new { activity, title = "Benchmark draft", text });
        using var created = await _http.SendAsync(request, cancellationToken);
        await EnsureAsync(created, "POST /api/proposals", cancellationToken);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// The server's storage-write instruments from <c>GET /metrics</c> (whole run: pre-warm and warm-up
    /// included): writes, rows per write (group commit size) and milliseconds per write.
    /// </summary>
    public async Task<JsonObject> StorageWritesAsync(CancellationToken cancellationToken)
    {
        using var tokenResponse = await _http.PostAsJsonAsync("/api/dev/token", new { member = "ASEC", role = "secretariat" }, cancellationToken);
        await EnsureAsync(tokenResponse, "POST /api/dev/token for the secretariat", cancellationToken);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString()!;
        using var response = await _http.SendAsync(Authorized(HttpMethod.Get, "/metrics", new MemberToken("ASEC", token)), cancellationToken);
        await EnsureAsync(response, "GET /metrics", cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var result = new JsonObject();
        foreach (var instrument in body.GetProperty("instruments").EnumerateArray())
        {
            var key = instrument.GetProperty("name").GetString() switch
            {
                "asccollab.storage.write.rows" => "rows",
                "asccollab.storage.write.duration" => "ms",
                "asccollab.commit.changes" => "changes",
                _ => null,
            };
            if (key is not null && instrument.GetProperty("count").GetInt64() is var count and > 0)
            {
                if (key != "changes")
                {
                    result["writes"] = (double)count;
                }
                result[key + "PerWrite"] = instrument.GetProperty("value").GetDouble() / count;
                result[key + "Max"] = instrument.GetProperty("max").GetDouble();
            }
        }
        return result;
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage Authorized(HttpMethod method, string path, MemberToken token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return request;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"bench: {what} answered {(int)response.StatusCode}: {body}");
        }
    }
}

internal sealed record MemberToken(string Member, string Token);
