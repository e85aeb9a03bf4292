using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// A minimal HTTP/1.1 proxy on 127.0.0.1 in front of Azurite that spoils the next writes on
/// request: answers 503, drops the connection before forwarding, forwards and then drops the
/// connection (the write is stored, the caller never hears), or stalls (never answers). Everything else is forwarded
/// unchanged, signatures included (they cover the path, not the host). Raw TCP, so a dropped
/// connection is really dropped.
/// </summary>
public sealed class FlakyTableProxy : IAsyncDisposable
{
    public enum Fault
    {
        ServiceUnavailable,
        DropBeforeForwarding,
        DropAfterForwarding,
        Stall,
    }

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect",
    };

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HttpClient _forward = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private readonly string _target;
    private readonly Task _serving;
    private readonly Queue<Fault> _faults = new();
    private readonly CancellationTokenSource _stop = new();
    private int _writes;
    private int _failTableCreations;
    private volatile bool _stallReads;

    public FlakyTableProxy(string azuriteConnectionString)
    {
        _target = TableEndpointOf(azuriteConnectionString).GetLeftPart(UriPartial.Authority);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string ConnectionString => AzuriteFixture.ConnectionStringFor(Port);

    /// <summary>Write requests (entity inserts, replaces, deletes and batches; not table creation) seen so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public void FailNextWrites(params Fault[] faults)
    {
        lock (_faults)
        {
            foreach (var fault in faults)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Answers the next <paramref name="count"/> table creations with 503.</summary>
    public void FailNextTableCreations(int count)
    {
        lock (_faults)
        {
            _failTableCreations += count;
        }
    }

    /// <summary>From now on, every read (GET) is left without an answer.</summary>
    public void StallReads() => _stallReads = true;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving.WithTimeout();
        _forward.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                break;
            }

            connections.Add(Task.Run(() => ServeConnectionAsync(client)));
        }

        await Task.WhenAll(connections).WithTimeout();
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (await ReadRequestAsync(stream) is { } request)
                {
                    if (!await AnswerAsync(stream, request))
                    {
                        // Reset rather than a polite close: the client must see the connection fail.
                        client.Client.LingerState = new LingerOption(true, 0);
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
            {
                // The client went away or the proxy is stopping.
            }
        }
    }

    private sealed record Request(string Method, string Target, List<(string Name, string Value)> Headers, byte[] Body);

    /// <summary>Answers one request; false when the connection is to be dropped.</summary>
    private async Task<bool> AnswerAsync(NetworkStream stream, Request request)
    {
        var isWrite = request.Method is "PUT" or "POST" or "MERGE" or "DELETE" && !request.Target.Contains("/Tables", StringComparison.Ordinal);
        Fault? fault = null;
        if (isWrite)
        {
            Interlocked.Increment(ref _writes);
            lock (_faults)
            {
                fault = _faults.Count > 0 ? _faults.Dequeue() : null;
            }
        }

        var isTableCreation = request.Method == "POST" && request.Target.Contains("/Tables", StringComparison.Ordinal);
        lock (_faults)
        {
            if (isTableCreation && _failTableCreations > 0)
            {
                _failTableCreations--;
                fault = Fault.ServiceUnavailable;
            }
        }

        if (request.Method == "GET" && _stallReads)
        {
            fault = Fault.Stall;
        }

        if (fault == Fault.DropBeforeForwarding)
        {
            return false;
        }

        if (fault == Fault.Stall)
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }

        if (fault == Fault.ServiceUnavailable)
        {
            await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
            return true;
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target + request.Target));
        if (request.Body.Length > 0 || request.Method is "PUT" or "POST")
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!HopByHop.Contains(name) && !message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _forward.SendAsync(message, _stop.Token);
        var body = await response.Content.ReadAsByteArrayAsync(_stop.Token);
        if (fault == Fault.DropAfterForwarding)
        {
            return false;
        }

        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            if (!HopByHop.Contains(name))
            {
                head.Append(name).Append(": ").Append(values.ToString()).Append("\r\n");
            }
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
        return true;
    }

    private static Uri TableEndpointOf(string connectionString)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("TableEndpoint=", StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(part["TableEndpoint=".Length..]);
            }
        }

        throw new ArgumentException("The connection string has no TableEndpoint.", nameof(connectionString));
    }

    private async Task<Request?> ReadRequestAsync(NetworkStream stream)
    {
        // Byte by byte up to the empty line: slow, but a test proxy sees few requests.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new List<(string, string)>();
        var length = 0;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            headers.Add((name, value));
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return new Request(requestLine[0], requestLine[1], headers, body);
    }
}
