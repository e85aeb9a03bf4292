using AscCollab.Bench;

// dotnet run -c Release --project bench/AscCollab.Bench -- <typing|saturation|connections|cluster|memory-floor|storage|all> [options]
// docs/performance.md explains the workloads, the options and how to read the figures.
if (args.Length > 0 && args[0] == StorageFloor.WorkerCommand)
{
    return await StorageFloor.RunWorkerAsync(args[1..]);
}
if (args.Length > 0 && args[0] == SignalRFloor.ServerCommand)
{
    return await SignalRFloor.RunServerAsync(args[1..]);
}
if (args.Length > 0 && args[0] == MemoryFloor.ServerCommand)
{
    return await MemoryFloor.RunServerAsync(args[1..]);
}

if (args.Length == 3 && args[0] == "budget")
{
    // Re-reads a perf file a run left in its log folder: budget PERF.DATA SERVER-µs-PER-OP
    var script = await Tools.RunAsync("perf", ["script", "-i", args[1], "-F", "ip,sym,dso"], Environment.CurrentDirectory, TimeSpan.FromMinutes(3), CancellationToken.None);
    Console.WriteLine(CpuBudget.Analyse(script, double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) / 1e6).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    return 0;
}
if (!BenchOptions.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 64;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the try/finally blocks stop what this run started.
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var results = await BenchRun.RunAsync(options, stop.Token);
    Report.Print(results, options);
    if (options.JsonPath is { } path)
    {
        Report.WriteJson(results, path);
    }
    return results.Failed ? 1 : 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: cancelled; everything it started was stopped.");
    return 130;
}
