using System.Text.Json.Nodes;

namespace AscCollab.Bench;

/// <summary>Nearest-rank percentiles, the same rule load.mjs uses.</summary>
internal static class Percentiles
{
    public static JsonObject Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new JsonObject { ["count"] = 0 };
        }
        var sorted = values.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new JsonObject
        {
            ["count"] = sorted.Length,
            ["p50"] = Math.Round(At(50), 2),
            ["p95"] = Math.Round(At(95), 2),
            ["p99"] = Math.Round(At(99), 2),
            ["max"] = Math.Round(sorted[^1], 2),
        };
    }
}
