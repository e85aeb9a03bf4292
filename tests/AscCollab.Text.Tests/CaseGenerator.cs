using System.Globalization;
using System.Text;

namespace AscCollab.Text.Tests;

/// <summary>Seeded random documents and operations, including astral characters and lone surrogates.</summary>
internal sealed class CaseGenerator(int seed)
{
    private static readonly string[] Pieces =
    [
        "a", "b", "c", "d", " ", "\n", "é", "中", "😅", "🤖", "👻", "\uD83D", "\uDE00", "\uDE00\uD83D",
        "\"", "\\", "\t", "\u2028", "\u0001", "\u007f", "xyz",
    ];

    private readonly Random random = new(seed);

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public bool Chance(int percent) => random.Next(100) < percent;

    public string Document(int maxPieces = 12)
    {
        var text = new StringBuilder();
        for (var i = random.Next(maxPieces + 1); i > 0; i--)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    /// <summary>Non-empty text whose length in code points is defined (no truncated last step).</summary>
    public string InsertText()
    {
        var text = Document(3);
        if (text.Length == 0 || !CodePoints.TryCount(text, out _))
        {
            text += "x";
        }

        return text;
    }

    /// <summary>
    /// A valid operation for <paramref name="document"/> as JSON component texts. Inserts and
    /// deletes may repeat (not yet normalised) and deletes sometimes carry their text.
    /// </summary>
    public List<string> OperationFor(string document)
    {
        var length = CodePoints.Length(document);

        // Retaining into a truncated final surrogate step is an error in the package.
        var retainable = CodePoints.TryCount(document, out _) ? length : length - 1;
        var components = new List<string>();
        var position = 0;
        var lastRetain = 0;
        for (var steps = random.Next(7); steps > 0; steps--)
        {
            var choice = random.Next(3);
            if (choice == 0 && position < retainable)
            {
                var n = 1 + random.Next(Math.Min(retainable - position, 8));
                position += n;
                if (lastRetain > 0)
                {
                    components.RemoveAt(components.Count - 1);
                }

                lastRetain += n;
                components.Add(lastRetain.ToString(CultureInfo.InvariantCulture));
                continue;
            }

            if (choice == 1 && position < length)
            {
                var n = 1 + random.Next(Math.Min(length - position, 6));
                components.Add(DeleteJson(document, position, n));
                position += n;
            }
            else
            {
                components.Add(TestJson.Quote(InsertText()));
            }

            lastRetain = 0;
        }

        if (lastRetain > 0)
        {
            components.RemoveAt(components.Count - 1);
        }

        return components;
    }

    /// <summary>An operation that often does not fit <paramref name="document"/>.</summary>
    public List<string> MisfitFor(string document)
    {
        var op = Chance(50) ? OperationFor(Document()) : OperationFor(document);
        if (Chance(50))
        {
            op.Add($"{{\"d\":{1 + random.Next(3)}}}");
        }

        return op;
    }

    private string DeleteJson(string document, int position, int count)
    {
        if (Chance(30))
        {
            var start = CodePoints.ToUtf16Index(document, position);
            var text = document[start..CodePoints.ToUtf16Index(document, position + count)];
            if (CodePoints.TryCount(text, out _))
            {
                return $"{{\"d\":{TestJson.Quote(text)}}}";
            }
        }

        return $"{{\"d\":{count}}}";
    }

    /// <summary>
    /// Arbitrary, often invalid, operation JSON. <paramref name="jsArtefact"/> is set when it holds
    /// something the package tolerates and we refuse on purpose (booleans, fractions, extra keys,
    /// a top-level non-array given to normalize).
    /// </summary>
    public string RawOperation(out bool jsArtefact)
    {
        jsArtefact = false;
        if (Chance(5))
        {
            jsArtefact = true;
            return new[] { "5", "\"abc\"", "{\"d\":1}", "null", "{}" }[random.Next(5)];
        }

        var parts = new List<string>();
        for (var i = random.Next(8); i > 0; i--)
        {
            var (json, artefact) = RawComponent();
            parts.Add(json);
            jsArtefact |= artefact;
        }

        return "[" + string.Join(",", parts) + "]";
    }

    private (string Json, bool Artefact) RawComponent()
    {
        string[] valid =
        [
            "1", "2", "3", "0", "-1", "-2", "2.0", "1e1", "-0", "\"\"", "\"ab\"", TestJson.Quote("😅"),
            TestJson.Quote("\uD83D"), TestJson.Quote("x\uD83D"), TestJson.Quote("\uDE00x"), TestJson.Quote("\uD83Dx"),
            "{\"d\":1}", "{\"d\":2}", "{\"d\":0}", "{\"d\":-1}", "{\"d\":\"\"}", "{\"d\":\"ab\"}",
            $"{{\"d\":{TestJson.Quote("\uD83D")}}}", $"{{\"d\":{TestJson.Quote("😅x")}}}", "{\"d\":true}", "{\"d\":null}",
            "{}", "{\"e\":1}", "null", "[1]", "[]",
        ];
        string[] artefacts = ["1.5", "true", "false", "{\"d\":1,\"x\":1}", "{\"d\":1.5}"];
        return Chance(4)
            ? (artefacts[random.Next(artefacts.Length)], true)
            : (valid[random.Next(valid.Length)], false);
    }
}
