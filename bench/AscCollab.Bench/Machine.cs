using System.Globalization;
using System.Text.Json.Nodes;

namespace AscCollab.Bench;

/// <summary>What the figures were taken on, and how busy it was.</summary>
internal static class Machine
{
    public static JsonObject Describe() => new()
    {
        ["date"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        ["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?",
        ["cores"] = Environment.ProcessorCount,
        ["memoryGiB"] = Math.Round(MemTotalKiB() / 1024.0 / 1024.0, 1),
        ["dotnet"] = Environment.Version.ToString(),
        ["loadAverageBefore"] = LoadAverage(),
    };

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static long MemTotalKiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
