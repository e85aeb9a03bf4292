using System.Net;
using System.Net.Sockets;

namespace AscCollab.Bench;

/// <summary>
/// Azurite's table service on 127.0.0.1, a free port and a temporary data folder — the same
/// pinned package and flags as infra/azurite/start.sh. Disposing stops its PID and deletes the folder.
/// </summary>
internal sealed class Azurite : IDisposable
{
    // The emulator's well-known development key, published by Microsoft; not a secret.
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly ChildProcess _process;
    private readonly string _data;

    private Azurite(ChildProcess process, string data, int port)
    {
        _process = process;
        _data = data;
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public int Pid => _process.Id;

    public static async Task<Azurite> StartAsync(string logFolder, bool inMemory, CancellationToken cancellationToken)
    {
        var bin = Path.Combine(RepoPaths.AzuriteFolder, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(bin))
        {
            await Tools.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], RepoPaths.AzuriteFolder, TimeSpan.FromMinutes(5), cancellationToken);
        }

        var data = Directory.CreateTempSubdirectory("asccollab-bench-azurite-").FullName;
        var port = FreePort();
        // --skipApiVersionCheck: the Table SDK sends an older API version; see infra/azurite/start.sh.
        // --inMemoryPersistence (diagnostic only): no LokiJS autosave of the whole database every 5 s.
        var persistence = inMemory ? "--inMemoryPersistence" : $"--location '{data}'";
        var command = $"exec '{bin}' --tableHost 127.0.0.1 --tablePort {port} {persistence} --skipApiVersionCheck --disableProductStyleUrl --disableTelemetry --silent";
        var process = ChildProcess.Start(command, RepoPaths.AzuriteFolder, new Dictionary<string, string>(), Path.Combine(logFolder, $"azurite-{port}.log"));
        var azurite = new Azurite(process, data, port);
        try
        {
            await Tools.WaitForPortAsync(port, TimeSpan.FromSeconds(30), () => process.HasExited, cancellationToken);
            return azurite;
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
