using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace AscCollab.Storage.AzureTable;

/// <summary>Refuses at start what would otherwise fail on the first grain call, with a message that says what to set.</summary>
internal sealed class AzureTableStorageOptionsValidator : IValidateOptions<AzureTableStorageOptions>
{
    // Azure table names: 3–63 letters and digits, starting with a letter; the suffix is "grains".
    private const int MaxPrefixLength = 63 - 6;

    public ValidateOptionsResult Validate(string? name, AzureTableStorageOptions options)
    {
        var provider = string.IsNullOrEmpty(name) ? "Azure Table storage" : $"Azure Table storage '{name}'";
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{provider}: AzureTableStorageOptions.ConnectionString is not set. Set it to an Azure Storage connection string " +
                "(the Server reads the ASCCOLLAB_STORAGE environment variable; ./scripts/run-server.sh sets it to a local Azurite).");
        }
        else if (!Parses(options.ConnectionString))
        {
            failures.Add($"{provider}: AzureTableStorageOptions.ConnectionString is not a valid Azure Storage connection string with a table endpoint. " +
                "Expected 'DefaultEndpointsProtocol=http;AccountName=…;AccountKey=…;TableEndpoint=http://127.0.0.1:PORT/devstoreaccount1;' " +
                "(set ASCCOLLAB_STORAGE for the Server).");
        }

        var prefix = options.TablePrefix;
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxPrefixLength || !char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))
        {
            failures.Add($"{provider}: AzureTableStorageOptions.TablePrefix '{prefix}' must be 1–{MaxPrefixLength} ASCII letters or digits, starting with a letter.");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{provider}: AzureTableStorageOptions.MaxAttempts must be between 1 and 10 (was {options.MaxAttempts}).");
        }

        if (options.InitialRetryDelay < TimeSpan.Zero || options.MaxRetryDelay < options.InitialRetryDelay || options.MaxRetryDelay > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{provider}: retry delays must satisfy 0 <= InitialRetryDelay <= MaxRetryDelay <= 30 s.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{provider}: AzureTableStorageOptions.RequestTimeout must be positive and at most 5 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The SDK's own parser, so what passes here is what the storage will accept; creating a client sends nothing.
    private static bool Parses(string connectionString)
    {
        try
        {
            _ = new TableServiceClient(connectionString);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            return false;
        }
    }
}
