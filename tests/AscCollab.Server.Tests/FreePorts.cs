using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AscCollab.Server.Tests;

/// <summary>Free TCP ports on 127.0.0.1 for a silo's two endpoints and a server's HTTP address.</summary>
public static class FreePorts
{
    /// <summary>One free port: bound on 127.0.0.1:0 and released (another process may take it before us; rare enough).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Two distinct free ports, as configuration strings.</summary>
    public static (string Silo, string Gateway) SiloAndGateway()
    {
        // Held together while chosen, so the two differ.
        using var silo = new TcpListener(IPAddress.Loopback, 0);
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        silo.Start();
        gateway.Start();
        return (Port(silo), Port(gateway));
    }

    private static string Port(TcpListener listener) =>
        ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
}
