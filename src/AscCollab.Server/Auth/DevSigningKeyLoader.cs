using Azure;
using Azure.Core;
using Azure.Data.Tables;

namespace AscCollab.Server;

/// <summary>
/// Development only: loads the shared <see cref="DevSigningKey"/> from the storage account of
/// <c>ASCCOLLAB_STORAGE</c> (else <c>Storage:ConnectionString</c>) as the host starts, in
/// <see cref="StartingAsync"/>: before any hosted service's StartAsync, so before the silo and long
/// before the web server, and the first request already validates. A node that cannot reach the
/// storage does not start, and says which setting to check.
/// </summary>
internal sealed partial class DevSigningKeyLoader(DevSigningKey key, IConfiguration configuration, ILogger<DevSigningKeyLoader> logger) : IHostedLifecycleService
{
    private const string DefaultTablePrefix = "asccollab";
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var store = new DevSigningKeyStore(Table());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LoadTimeout);
        StoredDevSigningKey stored;
        try
        {
            stored = await store.GetOrCreateAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InvalidOperationException(
                $"Development tokens: the signing key could not be read from or created in Azure table '{store.TableName}' ({Describe(ex)}). " +
                $"Check that {GrainHosting.StorageVariable} names a reachable Azure Storage account (./scripts/run-server.sh starts a local Azurite).", ex);
        }

        key.Load(stored.Key);
        LogLoaded(logger, key.Key.KeyId, store.TableName, stored.Created);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private TableClient Table()
    {
        var connectionString = configuration[GrainHosting.StorageVariable] is { } fromVariable && !string.IsNullOrWhiteSpace(fromVariable)
            ? fromVariable
            : configuration[$"{GrainHosting.StorageSection}:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Development tokens: no Azure Storage connection string. Set {GrainHosting.StorageVariable} (or {GrainHosting.StorageSection}:ConnectionString); " +
                "./scripts/run-server.sh sets it to a local Azurite.");
        }

        var prefix = configuration[$"{GrainHosting.StorageSection}:TablePrefix"] is { Length: > 0 } configured ? configured : DefaultTablePrefix;
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        try
        {
            return new TableClient(connectionString, prefix + DevSigningKeyStore.TableSuffix, options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            // The message of the SDK's parser may quote the string, account key included: not repeated here.
            throw new InvalidOperationException(
                $"Development tokens: {GrainHosting.StorageVariable} is not a valid Azure Storage connection string with a table endpoint " +
                "('DefaultEndpointsProtocol=http;AccountName=…;AccountKey=…;TableEndpoint=http://127.0.0.1:PORT/devstoreaccount1;').");
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        RequestFailedException failed => $"HTTP {failed.Status} {failed.ErrorCode}".TrimEnd(),
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Describe(aggregate.InnerExceptions[^1]),
        OperationCanceledException => $"no answer within {LoadTimeout.TotalSeconds:0} s",
        _ => $"{exception.GetType().Name}: {exception.Message.Split('\n')[0].TrimEnd('\r')}",
    };

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Development token signing key {KeyId} loaded from Azure table {Table} (created now: {Created}).")]
    private static partial void LogLoaded(ILogger logger, string keyId, string table, bool created);
}
