using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AscCollab.Grains;
using AscCollab.Storage;
using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>
/// The documented text limit (100,000 code points) holds for characters of four UTF-8 bytes:
/// stored JSON keeps them as UTF-8 instead of 12-byte escapes, so the state row fits Azure's
/// 1 MiB entity (checked by our own TableLimits, on Azurite). Rows in the old escaped form still load.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class Utf8StorageTests(AzuriteFixture azurite)
{
    private const string Emoji = "\U0001F600";

    /// <summary>How state was written before: System.Text.Json's default escaping.</summary>
    private static readonly JsonSerializerOptions OldEscaping = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Default };

    [Fact]
    public async Task A_text_of_the_documented_maximum_of_emoji_is_stored_and_survives_a_restart()
    {
        await using var server = LiveServer.Start(azurite);
        var text = string.Concat(Enumerable.Repeat(Emoji, 100_000));

        var created = await CreateAsync(server, "Emoji " + Emoji, text);
        Assert.True(created.Status == 201, created.Body);
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;

        var tooLong = await CreateAsync(server, "Emoji", text + Emoji);
        Assert.Equal(413, tooLong.Status);
        Assert.Contains("100000 code points", tooLong.Body, StringComparison.Ordinal);

        await server.RestartAsync();
        var (stored, revision) = await server.ReadProposalAsync(id);
        Assert.Equal(0, revision);
        Assert.True(stored == text, $"read back {stored.Length} UTF-16 units, expected {text.Length}");
    }

    [Fact]
    public void Stored_json_keeps_UTF_8_and_escapes_only_what_JSON_requires()
    {
        var value = "Thai ไทย, emoji " + Emoji + ", quote \" backslash \\ tab \t <b>&" + "\uD800" + "x";

        var json = JsonSerializer.Serialize(new { value }, StateJson.Options);

        Assert.Equal("{\"value\":\"Thai ไทย, emoji " + Emoji + ", quote \\\" backslash \\\\ tab \\t <b>&\\uFFFDx\"}", json);
        Assert.Equal(value.Replace("\uD800", "\uFFFD", StringComparison.Ordinal), JsonSerializer.Deserialize<JsonElement>(json, StateJson.Options).GetProperty("value").GetString());
    }

    [Fact]
    public void State_written_with_the_old_escaping_still_reads()
    {
        var before = new SignOffRequest("MY", Position.Object, "Non ไทย " + Emoji, 3);
        var escaped = JsonSerializer.Serialize(before, OldEscaping);
        Assert.Contains("\\uD83D\\uDE00", escaped, StringComparison.Ordinal);

        Assert.Equal(before, JsonSerializer.Deserialize<SignOffRequest>(escaped, StateJson.Options));
        Assert.True(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(before, StateJson.Options)) < Encoding.UTF8.GetByteCount(escaped));
    }

    private static async Task<(int Status, string Body)> CreateAsync(LiveServer server, string title, string text)
    {
        // Raw UTF-8 (a JSON serializer would send every emoji as a 12-byte escape, over the 1 MiB body limit).
        var body = "{\"activity\":\"common-political-values\",\"title\":\"" + title + "\",\"text\":\"" + text + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/proposals") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("MY"));
        using var response = await server.Http.SendAsync(request).WithTimeout();
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync().WithTimeout());
    }
}
