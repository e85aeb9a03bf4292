using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace AscCollab.Testing;

/// <summary>
/// A real Azure Table endpoint for tests. Uses the Azurite whose connection string is in
/// <c>ASCCOLLAB_TEST_STORAGE</c> when set (./scripts/test.sh starts one for the whole run);
/// otherwise starts its own <c>azurite-table</c> from infra/azurite on a free port with a
/// temporary data folder, and kills exactly that process when disposed.
/// Tests isolate themselves with <see cref="NewTablePrefix"/>, so they may run in parallel.
/// </summary>
/// <remarks>
/// xunit needs the collection definition in each test assembly:
/// <code>
/// [CollectionDefinition(AzuriteFixture.Collection)]
/// public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;;
/// </code>
/// then mark test classes <c>[Collection(AzuriteFixture.Collection)]</c> and take the fixture in the constructor.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";
    public const string EnvironmentVariable = "ASCCOLLAB_TEST_STORAGE";

    /// <summary>The emulator's well-known account key, published by Microsoft for local development; not a secret.</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private Process? _process;
    private string? _dataFolder;
    private readonly List<string> _output = [];

    /// <summary>A connection string to the Table endpoint, valid once the fixture is initialised.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The port of the Azurite this fixture started; null when it uses one given by the environment.</summary>
    public int? StartedPort { get; private set; }

    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    /// <summary>A fresh table prefix (a letter and 11 hex digits), so no two tests share a table.</summary>
    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..11];

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }

        var launcher = Path.Combine(RepoPaths.AzuriteFolder, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(launcher))
        {
            await InstallAsync();
        }

        _dataFolder = Directory.CreateTempSubdirectory("asccollab-azurite-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo(launcher)
        {
            WorkingDirectory = RepoPaths.AzuriteFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _dataFolder, "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{launcher}'.");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilListeningAsync(port);
        StartedPort = port;
        ConnectionString = ConnectionStringFor(port);
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token);
            }

            process.Dispose();
        }

        if (_dataFolder is not null && Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening on port {port}: {string.Join(Environment.NewLine, Output())}");
            }

            try
            {
                using var client = new TcpClient();
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
                return;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds} s: {string.Join(Environment.NewLine, Output())}");
    }

    private static async Task InstallAsync()
    {
        // Several test assemblies may get here at once; one installs, the others wait for its lock.
        var lockPath = Path.Combine(RepoPaths.Root, ".data", "azurite-install.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var waited = Stopwatch.StartNew();
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < InstallTimeout)
            {
                await Task.Delay(500);
            }
        }

        await using (held)
        {
            if (File.Exists(Path.Combine(RepoPaths.AzuriteFolder, "node_modules", ".bin", "azurite-table")))
            {
                return;
            }

            var install = new ProcessStartInfo("npm") { WorkingDirectory = RepoPaths.AzuriteFolder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
            {
                install.ArgumentList.Add(argument);
            }

            using var process = Process.Start(install) ?? throw new InvalidOperationException("Could not start npm.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'npm ci' in {RepoPaths.AzuriteFolder} did not finish within {InstallTimeout.TotalMinutes} minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' in {RepoPaths.AzuriteFolder} failed with code {process.ExitCode}: {await stdout}{await stderr}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Count < 200)
            {
                _output.Add(line);
            }
        }
    }

    private string[] Output()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }
}
