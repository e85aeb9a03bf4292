using Azure;
using Azure.Core;
using Azure.Data.Tables;

namespace AscCollab.Server;

/// <summary>
/// Development only: loads the shared <see cref="DevSigningKey"/> from the storage account of
/// <c>ASCCOLLAB_STORAGE</c> (else <c>Storage:ConnectionString</c>), table <c>{Storage:TablePrefix}devkeys</c>, as the host starts, in
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
            throw new StartupException(
                $"Development tokens: the signing key could not be read from or created in Azure table '{store.TableName}' ({Describe(ex)}); " +
                $"check that {GrainHosting.StorageVariable} names a reachable Azure Storage account (./scripts/run-server.sh starts a local Azurite).", ex);
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
        // Validated there: a missing or malformed value stops the start with a message naming ASCCOLLAB_STORAGE.
        var connectionString = GrainHosting.StorageConnectionString(configuration);
        var prefix = configuration[$"{GrainHosting.StorageSection}:TablePrefix"] is { Length: > 0 } configured ? configured : DefaultTablePrefix;
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return new TableClient(connectionString, prefix + DevSigningKeyStore.TableSuffix, options);
    }

    private static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } unanswered => FirstLine(unanswered.Message),
        RequestFailedException failed => $"HTTP {failed.Status} {failed.ErrorCode}".TrimEnd(),
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Describe(aggregate.InnerExceptions[^1]),
        OperationCanceledException => $"no answer within {LoadTimeout.TotalSeconds:0} s",
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Development token signing key {KeyId} loaded from Azure table {Table} (created now: {Created}).")]
    private static partial void LogLoaded(ILogger logger, string keyId, string table, bool created);
}
