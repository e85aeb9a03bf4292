using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// One table of one storage account: a <see cref="TableClient"/> whose retries are Azure.Core's,
/// configured from <see cref="AzureTableStorageOptions"/>, and the table created once on first use
/// (a failed creation is tried again by the next caller).
/// </summary>
internal sealed class TableConnection
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _creation;

    public TableConnection(AzureTableStorageOptions options, string tableName, ILogger logger)
    {
        _logger = logger;
        MaxAttempts = options.MaxAttempts;
        Client = new TableClient(options.ConnectionString, tableName, ClientOptions(options, tableName, logger));
    }

    public TableClient Client { get; }

    public string TableName => Client.Name;

    public int MaxAttempts { get; }

    /// <summary>Azure.Core's retry from our options: exponential backoff with jitter, each attempt bounded by <see cref="AzureTableStorageOptions.RequestTimeout"/>.</summary>
    public static TableClientOptions ClientOptions(AzureTableStorageOptions options, string tableName, ILogger logger)
    {
        var client = new TableClientOptions();
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = options.MaxAttempts - 1;
        client.Retry.Delay = options.InitialRetryDelay;
        client.Retry.MaxDelay = options.MaxRetryDelay;
        client.Retry.NetworkTimeout = options.RequestTimeout;
        // Per request these cost CPU on the edit path (request logging and an Activity per call); our
        // own AttemptLogPolicy logs what matters, and the meter "AscCollab" times the writes.
        client.Diagnostics.IsLoggingEnabled = false;
        client.Diagnostics.IsDistributedTracingEnabled = false;
        client.Diagnostics.IsTelemetryEnabled = false;
        client.AddPolicy(new AttemptLogPolicy(logger, tableName, options.MaxAttempts), HttpPipelinePosition.PerRetry);
        return client;
    }

    /// <summary>The client, once the table exists.</summary>
    public async Task<TableClient> GetTableAsync(CancellationToken cancellationToken)
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
        return Client;
    }

    private async Task CreateAsync()
    {
        var response = await Client.CreateIfNotExistsAsync(CancellationToken.None);
        if (response.GetRawResponse().Status != (int)HttpStatusCode.Conflict)
        {
            AzureTableLog.TableCreated(_logger, TableName);
        }
    }

    /// <summary>
    /// Whether Azure.Core retried <paramref name="exception"/> until its bound: the statuses and
    /// network failures its response classifier retries, or the aggregate it throws once the
    /// attempts are spent.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests
            or (int)HttpStatusCode.InternalServerError or (int)HttpStatusCode.BadGateway or (int)HttpStatusCode.ServiceUnavailable
            or (int)HttpStatusCode.GatewayTimeout,
        AggregateException or HttpRequestException or IOException or OperationCanceledException => true,
        _ => false,
    };

    public static string Describe(Exception exception) => exception switch
    {
        RequestFailedException failed => $"HTTP {failed.Status} {failed.ErrorCode} {FirstLine(failed.Message)}".Trim(),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => Describe(aggregate.InnerExceptions[^1]),
        OperationCanceledException => $"no answer within the request timeout ({exception.GetType().Name}: {FirstLine(exception.Message)})",
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }

    /// <summary>Logs each attempt that failed transiently; Azure.Core decides and waits, this only tells.</summary>
    private sealed class AttemptLogPolicy(ILogger logger, string tableName, int maxAttempts) : HttpPipelinePolicy
    {
        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            catch (Exception ex) when (message.ResponseClassifier.IsRetriable(message, ex) && !message.CancellationToken.IsCancellationRequested)
            {
                Log(message, $"{ex.GetType().Name}: {FirstLine(ex.Message)}");
                throw;
            }

            LogRetriableResponse(message);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            try
            {
                ProcessNext(message, pipeline);
            }
            catch (Exception ex) when (message.ResponseClassifier.IsRetriable(message, ex) && !message.CancellationToken.IsCancellationRequested)
            {
                Log(message, $"{ex.GetType().Name}: {FirstLine(ex.Message)}");
                throw;
            }

            LogRetriableResponse(message);
        }

        private void LogRetriableResponse(HttpMessage message)
        {
            if (message.HasResponse && message.ResponseClassifier.IsRetriableResponse(message))
            {
                Log(message, $"HTTP {message.Response.Status} {message.Response.ReasonPhrase}");
            }
        }

        private void Log(HttpMessage message, string error) =>
            AzureTableLog.AttemptFailed(logger, message.ProcessingContext.RetryNumber + 1, maxAttempts, message.Request.Method.ToString(), message.Request.Uri.Path, tableName, error);
    }
}
