using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace AscCollab.Bench;

/// <summary>Small bounded helpers: run a tool to completion, wait for a port, read /proc.</summary>
internal static class Tools
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"bench: could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench: '{file} {string.Join(' ', args)}' exited with {process.ExitCode}:\n{await stderr}\n{await stdout}");
        }
        return await stdout;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout, Func<bool> exited, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (exited())
            {
                throw new InvalidOperationException($"bench: the process meant to listen on port {port} exited.");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
        throw new TimeoutException($"bench: nothing listened on port {port} within {timeout.TotalSeconds} s.");
    }

    /// <summary>
    /// Polls GET /health until it answers 2xx (and, when its JSON has "silos", until that is at least
    /// <paramref name="silos"/>); fails at once if the process exits.
    /// </summary>
    public static async Task WaitHealthyAsync(string baseUrl, ChildProcess process, TimeSpan timeout, CancellationToken cancellationToken, int silos = 1)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        string last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"bench: the server exited at start (exit code {process.ExitCode}); its log: {process.LogPath}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl + "/health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var seen = ActiveSilos(await response.Content.ReadAsStringAsync(cancellationToken));
                    if (seen is null || seen >= silos)
                    {
                        return;
                    }
                    last = $"HTTP 200 with {seen} of {silos} silos";
                }
                else
                {
                    last = $"HTTP {(int)response.StatusCode}";
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "timeout";
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new TimeoutException($"bench: the server was not healthy within {timeout.TotalSeconds} s ({last}); its log: {process.LogPath}");
    }

    /// <summary>The "silos" figure of a /health answer; null when there is none (a pre-Orleans server, or not JSON).</summary>
    public static int? ActiveSilos(string body)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body) is System.Text.Json.Nodes.JsonObject o && o["silos"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / (double)ClockTicks;
    }

    /// <summary>VmRSS of a process in KiB.</summary>
    public static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"bench: /proc/{pid}/status has no VmRSS.");
    }

    public static int ClockTicks { get; } = ReadClockTicks();

    private static int ReadClockTicks()
    {
        try
        {
            var info = new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            return int.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
