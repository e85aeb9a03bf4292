using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>A start that cannot succeed, with one line for the operator that names the setting.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What a node checks before it starts its silo, and how a failed start is told. Orleans, started
/// against unreachable storage, waits minutes before it gives up; we fail at once instead.
/// </summary>
internal static class StartupChecks
{
    private static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Storage answers a table query within a few seconds, or the start stops naming <c>ASCCOLLAB_STORAGE</c>.</summary>
    public static async Task StorageReachableAsync(IConfiguration configuration)
    {
        var connectionString = GrainHosting.StorageConnectionString(configuration);
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(4);
        using var timeout = new CancellationTokenSource(StorageTimeout);
        try
        {
            var service = new TableServiceClient(connectionString, options);
            await foreach (var _ in service.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1).WithCancellation(timeout.Token))
            {
                break;
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            var endpoint = new TableServiceClient(connectionString).Uri;
            throw new StartupException($"storage at {endpoint} (from {GrainHosting.StorageVariable}) is unreachable: {FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>The operator's one line for a failed start; null for failures that are not about the setup (they keep their stack).</summary>
    public static string? Describe(Exception exception, IConfiguration? configuration)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case StartupException s:
                    return s.Message;
                case OptionsValidationException o:
                    return FirstLine(o.Message);
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                case IOException when ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase):
                    return $"a port is already in use: --urls {configuration?["urls"] ?? "(default)"}, {ClusterSettings.Section}:SiloPort {configuration?[$"{ClusterSettings.Section}:SiloPort"] ?? "11111"}, {ClusterSettings.Section}:GatewayPort {configuration?[$"{ClusterSettings.Section}:GatewayPort"] ?? "30000"} ({FirstLine(ex.Message)})";
                case InvalidOperationException when ex.Message.StartsWith(GrainHosting.StorageVariable, StringComparison.Ordinal)
                    || ex.Message.StartsWith(ClusterSettings.Section + ":", StringComparison.Ordinal):
                    return ex.Message;
                case Orleans.Runtime.OrleansException when ex.Message.Contains("join", StringComparison.OrdinalIgnoreCase):
                    return $"could not join cluster '{configuration?[$"{ClusterSettings.Section}:ClusterId"] ?? "asccollab"}' (Cluster:ClusterId, {GrainHosting.StorageVariable}): {FirstLine(ex.Message)}";
                default:
                    break;
            }
        }
        return null;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
