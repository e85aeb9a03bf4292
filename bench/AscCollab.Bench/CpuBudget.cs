using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AscCollab.Bench;

/// <summary>
/// The per-op CPU budget of an editing workload: `perf record -g` samples the server's threads
/// during the measured window (cpu-clock, 499 Hz; perf itself on the load's core 1; JIT'd code named through the server's
/// DOTNET_PerfMapEnabled map), and each sample goes to the component of the innermost frame that
/// names one — a syscall made by the storage client is the storage client's, a JSON serialiser
/// called by the state write is the state write's. Samples with no such frame (GC threads, idle
/// wake-ups, the thread pool) are listed as what they are. µs per op = the component's share of
/// the samples × the server's CPU seconds per acknowledged op in the window (from /proc). perf costs
/// the server CPU of its own (~20 % more per op in saturation here), so the bench samples a second
/// run of the workload and applies its shares to the first, clean run's CPU per op.
/// </summary>
internal sealed class CpuBudget : IDisposable
{
    private const int Frequency = 499;

    // Innermost matching frame wins; the order below breaks ties within one frame only.
    private static readonly (string Name, Regex Frame)[] Components =
    [
        ("storage client (Azure.Data.Tables, HTTP)", Pattern(@"Azure\.(Core|Data)|System\.Net\.Http|AzureTableLogStorage|TableConnection|ChunkedJson|TableLimits|TableRow|TableKeys")),
        ("state and log rows to JSON", Pattern(@"LoggedState|StateJson|Utf8JsonEncoder|ProposalLog::")),
        ("group commit", Pattern(@"GroupCommit")),
        ("OT (transform, apply)", Pattern(@"AscCollab\.Text\.")),
        ("structure (paragraphs, brackets, anchors)", Pattern(@"TextStructure|DraftAnchors|ProposalGrain::(Structure|PublishStructure|PublishDrafting)")),
        ("audit chain and hashes", Pattern(@"AuditChain|libcrypto|System\.Security\.Cryptography")),
        ("proposal grain (edit, sign-off logic)", Pattern(@"ProposalGrain|AscCollab\.Grains\.")),
        ("pushes (publisher, SignalR sends)", Pattern(@"LivePublisher|DefaultHubLifetimeManager|HubConnectionContext::Write|ProposalRoom|ConnectionIdList")),
        ("SignalR parse and dispatch (hub, filter)", Pattern(@"HubConnectionHandler|DefaultHubDispatcher|HubProtocol|CollabHub|EditFunnel|AspNetCore\.SignalR")),
        ("WebSocket transport, Kestrel, sockets", Pattern(@"WebSocket|Kestrel|System\.IO\.Pipelines|System\.Net\.Sockets|AspNetCore\.Http\.Connections")),
        ("Orleans messaging and scheduling", Pattern(@"Orleans\.")),
    ];

    // Frames that many components run through: a sample counts here only when no frame names a component above.
    private static readonly (string Name, Regex Frame)[] Shared =
    [
        ("threads waiting and waking (futex, epoll, scheduler)", Pattern(@"futex|epoll_wait|finish_task_switch|__schedule|sched_yield")),
        // Socket syscalls whose callers are the framework's precompiled (ReadyToRun) code, which the perf map does not name.
        ("kernel TCP sends and receives (caller not named)", Pattern(@"tcp_|sock_|__sys_sendto|__sys_recvfrom|sendmsg|recvmsg|loopback_xmit|net_rx_action|ip_rcv|ip_output")),
        ("thread pool, timers, tasks", Pattern(@"ThreadPool|TimerQueue|System\.Threading\.")),
        ("GC, JIT, runtime", Pattern(@"libcoreclr|libclrjit|libSystem\.Native|ld-linux|libc\.so|System\.Private\.CoreLib|\[unknown\]")),
    ];

    private readonly ChildProcess _perf;
    private readonly string _dataPath;

    private CpuBudget(ChildProcess perf, string dataPath)
    {
        _perf = perf;
        _dataPath = dataPath;
    }

    /// <summary>Whether `perf` can sample here (installed, and allowed to).</summary>
    public static bool Available { get; } = Probe();

    /// <summary>Server environment that names JIT'd code for perf.</summary>
    public static IReadOnlyDictionary<string, string> ServerEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_PerfMapEnabled"] = "1",
        // perf cannot name code run from the W^X double mapping.
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    /// <summary>Starts sampling <paramref name="pid"/>; stop with <see cref="StopAsync"/>.</summary>
    public static CpuBudget Start(int pid, string logFolder, string label)
    {
        var dataPath = Path.Combine(logFolder, $"perf-{label}.data");
        var perf = ChildProcess.Start($"exec taskset -c 1 perf record -e cpu-clock -F {Frequency} -g -p {pid} -o '{dataPath}'", logFolder,
            new Dictionary<string, string>(), Path.Combine(logFolder, $"perf-{label}.log"));
        return new CpuBudget(perf, dataPath);
    }

    /// <summary>Ends the sampling window (SIGINT: perf writes its file and exits).</summary>
    public void Interrupt()
    {
        if (!_perf.HasExited)
        {
            Signal(_perf.Id, "INT");
        }
    }

    /// <summary>Stops sampling if it still runs and returns the budget, or null when perf wrote nothing.</summary>
    public async Task<JsonObject?> StopAsync(double serverCpuSecondsPerOp, CancellationToken cancellationToken)
    {
        Interrupt();
        if (!await _perf.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken) || !File.Exists(_dataPath))
        {
            return null;
        }
        var script = await Tools.RunAsync("perf", ["script", "-i", _dataPath, "-F", "ip,sym,dso"], Path.GetDirectoryName(_dataPath)!, TimeSpan.FromMinutes(3), cancellationToken);
        return Analyse(script, serverCpuSecondsPerOp);
    }

    /// <summary>Samples by component (perf script output: one block of frames per sample, innermost first).</summary>
    public static JsonObject Analyse(string script, double serverCpuSecondsPerOp)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var sample in script.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var frames = sample.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (frames.Length == 0)
            {
                continue;
            }
            total++;
            var component = Classify(frames);
            counts[component] = counts.GetValueOrDefault(component) + 1;
        }
        var perOp = serverCpuSecondsPerOp * 1e6;
        var components = new JsonArray();
        foreach (var (name, count) in counts.OrderByDescending(kv => kv.Value))
        {
            var share = (double)count / total;
            components.Add(new JsonObject { ["component"] = name, ["samples"] = (double)count, ["share"] = share, ["microsecondsPerOp"] = share * perOp });
        }
        return new JsonObject { ["samples"] = (double)total, ["frequencyHz"] = (double)Frequency, ["microsecondsPerOp"] = perOp, ["components"] = components };
    }

    /// <summary>
    /// The sampled run's shares applied to <paramref name="cleanMicrosecondsPerOp"/>, the CPU per op of
    /// the run without perf; the sampled run's own figure is kept as <c>sampledMicrosecondsPerOp</c>.
    /// </summary>
    public static JsonObject Rescale(JsonObject budget, double cleanMicrosecondsPerOp)
    {
        var scaled = budget.DeepClone().AsObject();
        scaled["sampledMicrosecondsPerOp"] = budget["microsecondsPerOp"]!.GetValue<double>();
        scaled["microsecondsPerOp"] = cleanMicrosecondsPerOp;
        foreach (var component in scaled["components"]!.AsArray().Select(c => c!.AsObject()))
        {
            component["microsecondsPerOp"] = component["share"]!.GetValue<double>() * cleanMicrosecondsPerOp;
        }
        return scaled;
    }

    private static string Classify(string[] frames)
    {
        foreach (var components in new[] { Components, Shared })
        {
            foreach (var frame in frames)
            {
                foreach (var (name, pattern) in components)
                {
                    if (pattern.IsMatch(frame))
                    {
                        return name;
                    }
                }
            }
        }
        // Nothing but kernel frames: the kernel on behalf of no named component (scheduling, idle wake-ups, interrupts).
        return frames.All(f => f.Contains("kernel", StringComparison.Ordinal)) ? "kernel (scheduling, interrupts)" : "other";
    }

    public void Dispose() => _perf.Dispose();

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit(5_000);
    }

    private static bool Probe()
    {
        try
        {
            using var perf = Process.Start(new ProcessStartInfo("perf", ["record", "-e", "cpu-clock", "-o", "/dev/null", "--", "true"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (perf is null)
            {
                return false;
            }
            perf.WaitForExit(10_000);
            return perf.HasExited && perf.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
