using System.Net;

namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>
/// Against a loopback HTTP endpoint that answers every request with one fixed status: transient
/// statuses are retried by Azure.Core up to our MaxAttempts, permanent ones are not retried at all,
/// and either surfaces as <see cref="AzureTableStorageException"/> (the caller's "unavailable").
/// </summary>
public sealed class RetryClassificationTests
{
    private sealed class FixedStatusEndpoint : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Task _serving;
        private int _requests;

        public FixedStatusEndpoint(HttpStatusCode status)
        {
            for (var attempt = 0; ; attempt++)
            {
                // A listener whose Start failed is disposed: each attempt needs a new one.
                Port = Random.Shared.Next(20_000, 60_000);
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                try
                {
                    listener.Start();
                    _listener = listener;
                    break;
                }
                catch (HttpListenerException) when (attempt < 20)
                {
                }
            }

            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _requests);
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                }
            });
        }

        public int Port { get; }

        public int Requests => Volatile.Read(ref _requests);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving.WithTimeout();
        }
    }

    private static AzureTableLogStorage StorageAt(int port, int maxAttempts) =>
        StorageFactory.Storage(StorageFactory.QuickRetries(AzuriteFixture.ConnectionStringFor(port), maxAttempts));

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task Transient_statuses_are_retried_up_to_the_bound(HttpStatusCode status)
    {
        await using var endpoint = new FixedStatusEndpoint(status);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            StorageAt(endpoint.Port, maxAttempts: 3).ReadStateAsync(StorageFactory.NewGrain(), "main", default).WithTimeout());

        Assert.Equal(3, endpoint.Requests);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Permanent_statuses_fail_at_once(HttpStatusCode status)
    {
        await using var endpoint = new FixedStatusEndpoint(status);

        var error = await Assert.ThrowsAsync<AzureTableStorageException>(() =>
            StorageAt(endpoint.Port, maxAttempts: 4).ReadStateAsync(StorageFactory.NewGrain(), "main", default).WithTimeout());

        Assert.Equal(1, endpoint.Requests);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }
}
