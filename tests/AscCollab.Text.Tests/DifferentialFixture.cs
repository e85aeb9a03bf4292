using System.Text.Json;

namespace AscCollab.Text.Tests;

/// <summary>One random case sent to the npm package, with the package's answers (raw JSON text).</summary>
internal sealed record DifferentialCase(
    string Document,
    string A,
    string B,
    string C,
    int Cursor,
    string Raw,
    bool RawHasJsArtefact,
    string Misfit)
{
    public Dictionary<string, string> Package { get; } = [];

    public string ToRequest(int id) =>
        $"{{\"id\":{id},\"doc\":{TestJson.Quote(Document)},\"a\":{A},\"b\":{B},\"c\":{C},\"cursor\":{Cursor},\"raw\":{Raw},\"misfit\":{Misfit}}}";
}

/// <summary>Generates the seeded cases and runs them all through ONE Node process, once per test class.</summary>
public sealed class DifferentialFixture : IAsyncLifetime
{
    public const int Seed = 20261123;
    public const int CaseCount = 4000;

    internal List<DifferentialCase> Cases { get; } = [];

    public async Task InitializeAsync()
    {
        var generator = new CaseGenerator(Seed);
        var requests = new List<string>(CaseCount);
        for (var i = 0; i < CaseCount; i++)
        {
            var document = generator.Document();
            var a = Json(generator.OperationFor(document));
            var afterA = TextOperation.Parse(a).Apply(document);
            var item = new DifferentialCase(
                document,
                a,
                Json(generator.OperationFor(document)),
                Json(generator.OperationFor(afterA)),
                generator.Next(CodePoints.Length(document) + 2),
                generator.RawOperation(out var artefact),
                artefact,
                Json(generator.MisfitFor(document)));
            Cases.Add(item);
            requests.Add(item.ToRequest(i));
        }

        await NodeHarness.EnsureInstalledAsync(TimeSpan.FromMinutes(3));
        var responses = await NodeHarness.RunBatchAsync(requests, TimeSpan.FromMinutes(2));
        if (responses.Length != CaseCount)
        {
            throw new InvalidOperationException($"Node answered {responses.Length} of {CaseCount} cases.");
        }

        foreach (var line in responses)
        {
            using var response = JsonDocument.Parse(line);
            var item = Cases[response.RootElement.GetProperty("id").GetInt32()];
            foreach (var property in response.RootElement.EnumerateObject())
            {
                item.Package[property.Name] = property.Value.GetRawText();
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Json(List<string> components) => "[" + string.Join(",", components) + "]";
}
