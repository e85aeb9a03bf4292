using System.Text.Json;
using System.Text.Json.Nodes;

namespace AscCollab.Bench;

/// <summary>
/// Runs bench/node/load.mjs (real @microsoft/signalr clients) pinned to core 1 with a raised
/// descriptor limit, hands it its settings as a JSON file and returns its RESULT line.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<JsonObject> RunAsync(JsonObject settings, bool pin, string logFolder, CancellationToken cancellationToken, Action<string>? onWindow = null)
    {
        // Our client and the peers' (sharedb, @hocuspocus/provider); npm ci when one is missing.
        if (!Directory.Exists(Path.Combine(RepoPaths.LoadFolder, "node_modules", "@microsoft", "signalr"))
            || !Directory.Exists(Path.Combine(RepoPaths.LoadFolder, "node_modules", "sharedb"))
            || !Directory.Exists(Path.Combine(RepoPaths.LoadFolder, "node_modules", "@hocuspocus", "provider")))
        {
            await Tools.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], RepoPaths.LoadFolder, TimeSpan.FromMinutes(5), cancellationToken);
        }

        var workload = settings["workload"]!.GetValue<string>();
        var hardLimit = settings["hardLimitSeconds"]!.GetValue<int>();
        var label = settings["label"]?.GetValue<string>() ?? workload;
        var configPath = Path.Combine(logFolder, $"load-{label}.json");
        await File.WriteAllTextAsync(configPath, settings.ToJsonString(), cancellationToken);

        string? result = null;
        var taskset = pin ? "taskset -c 1 " : "";
        var command = $"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec {taskset}node --max-old-space-size=4096 load.mjs '{configPath}'";
        using var node = ChildProcess.Start(command, RepoPaths.LoadFolder, new Dictionary<string, string>(), Path.Combine(logFolder, $"load-{label}.log"), line =>
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                result = line["RESULT ".Length..];
            }
            else if (line.StartsWith("WINDOW ", StringComparison.Ordinal))
            {
                // The measured window starts or ends ("WINDOW start", "WINDOW end").
                onWindow?.Invoke(line["WINDOW ".Length..]);
            }
        });
        // The generator stops itself at hardLimitSeconds; this bound is only the last resort.
        if (!await node.WaitForExitAsync(TimeSpan.FromSeconds(hardLimit + 30), cancellationToken))
        {
            throw new TimeoutException($"bench: the load generator ({label}) did not finish within {hardLimit + 30} s; log: {node.LogPath}");
        }
        // Output lines may trail the exit by a moment.
        for (var i = 0; i < 50 && result is null; i++)
        {
            await Task.Delay(20, cancellationToken);
        }
        if (result is null)
        {
            throw new InvalidOperationException($"bench: the load generator ({label}) exited with {node.ExitCode} without a result; log: {node.LogPath}");
        }
        var parsed = JsonNode.Parse(result)!.AsObject();
        if (parsed["failure"] is { } failure)
        {
            throw new InvalidOperationException($"bench: the load generator ({label}) failed: {failure.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}; log: {node.LogPath}");
        }
        return parsed;
    }
}
