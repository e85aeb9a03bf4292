using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Cosmos.Table;
using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// One table of one storage account: creates it once on first use (a failed creation is retried
/// by the next caller) and runs each request with our bounded retry of transient failures.
/// The SDK's own retry is switched off so that the bound is ours alone.
/// </summary>
internal sealed class TableConnection
{
    private readonly AzureTableStorageOptions _options;
    private readonly ILogger _logger;
    private readonly CloudTable _table;
    private readonly TableRequestOptions _requestOptions;
    private readonly Lock _gate = new();
    private Task? _creation;

    public TableConnection(AzureTableStorageOptions options, string tableName, ILogger logger)
    {
        _options = options;
        _logger = logger;
        var account = CloudStorageAccount.Parse(options.ConnectionString);
        _table = account.CreateCloudTableClient(new TableClientConfiguration()).GetTableReference(tableName);
        _requestOptions = new TableRequestOptions
        {
            RetryPolicy = new NoRetry(),
            MaximumExecutionTime = options.RequestTimeout,
            ServerTimeout = options.RequestTimeout,
        };
    }

    public string TableName => _table.Name;

    /// <summary>The table, created on first use if missing.</summary>
    public async Task<CloudTable> GetTableAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                // Not bound to the first caller's token: a later caller may still need the table.
                _creation = CreateAsync();
            }

            creation = _creation;
        }

        await creation.WaitAsync(cancellationToken);
        return _table;
    }

    /// <summary>Runs <paramref name="operation"/>, retrying transient failures with exponential backoff and jitter.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CloudTable, TableRequestOptions, CancellationToken, Task<T>> operation, string description, CancellationToken cancellationToken)
    {
        var table = await GetTableAsync(cancellationToken);
        return await RetryAsync(token => operation(table, _requestOptions, token), description, cancellationToken);
    }

    /// <summary>Runs <paramref name="attempt"/> (one request outside the SDK, e.g. <see cref="TableRestWriter"/>) once the table exists, with the same retry.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, string description, CancellationToken cancellationToken)
    {
        await GetTableAsync(cancellationToken);
        return await RetryAsync(attempt, description, cancellationToken);
    }

    private async Task CreateAsync()
    {
        var created = await RetryAsync(token => _table.CreateIfNotExistsAsync(_requestOptions, null, token), "create table", CancellationToken.None);
        if (created)
        {
            AzureTableLog.TableCreated(_logger, _table.Name);
        }
    }

    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> operation, string description, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.RequestTimeout);
            try
            {
                return await operation(attemptTimeout.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransient(ex, attemptTimeout.IsCancellationRequested))
            {
                if (attempt >= _options.MaxAttempts)
                {
                    throw new AzureTableStorageException(
                        $"Azure Table storage: {description} on table '{_table.Name}' still failed after {attempt} attempts: {Describe(ex)}", ex);
                }

                var delay = BackoffDelay(attempt);
                AzureTableLog.RetryingTransientFailure(_logger, description, _table.Name, attempt, delay.TotalMilliseconds, Describe(ex));
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is StorageException or TableRestException or HttpRequestException or IOException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Azure Table storage: {description} was cancelled.", ex, cancellationToken);
            }
        }
    }

    internal TimeSpan BackoffDelay(int attempt)
    {
        var ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        // "Equal jitter": half fixed so the wait still grows, half random so retrying callers spread out.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
#pragma warning restore CA5394
    }

    internal static bool IsTransient(Exception exception, bool attemptTimedOut)
    {
        if (attemptTimedOut)
        {
            return true;
        }

        var status = exception switch
        {
            StorageException storage => storage.RequestInformation?.HttpStatusCode,
            TableRestException rest => rest.Status,
            _ => null,
        };
        if (status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.InternalServerError
            or (int)HttpStatusCode.BadGateway or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout)
        {
            return true;
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or SocketException or IOException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    internal static string Describe(Exception exception) => exception switch
    {
        StorageException storage => $"HTTP {storage.RequestInformation?.HttpStatusCode} {storage.RequestInformation?.ExtendedErrorInformation?.ErrorCode} {storage.Message}".Trim(),
        TableRestException rest => $"HTTP {rest.Status} {rest.ErrorCode} {rest.Message}".Trim(),
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
