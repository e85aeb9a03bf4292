using AscCollab.Grains;
using AscCollab.Runtime;
using AscCollab.Storage.AzureTable;

namespace AscCollab.Server;

/// <summary>
/// The grain runtime on Azure Table storage: grain state under the storage name "store" and the
/// durable reminder table, both on the account named by <c>ASCCOLLAB_STORAGE</c>.
/// </summary>
internal static class GrainHosting
{
    public const string StorageName = "store";

    /// <summary>The environment variable of the outside contract; it wins over <c>Storage:ConnectionString</c>.</summary>
    public const string StorageVariable = "ASCCOLLAB_STORAGE";

    public const string StorageSection = "Storage";

    public static WebApplicationBuilder AddGrains(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAscCollabDomain();

        // Both tables share one account and prefix ("Storage" section); the providers validate
        // the options when the host starts, so a missing or malformed ASCCOLLAB_STORAGE stops it there.
        foreach (var name in new[] { StorageName, AzureTableRegistration.ReminderOptionsName })
        {
            services.AddOptions<AzureTableStorageOptions>(name)
                .BindConfiguration(StorageSection)
                .PostConfigure(o =>
                {
                    var fromEnvironment = Environment.GetEnvironmentVariable(StorageVariable);
                    if (!string.IsNullOrWhiteSpace(fromEnvironment))
                    {
                        o.ConnectionString = fromEnvironment;
                    }
                });
        }

        // The runtime binds its own "GrainRuntime" section (call timeout, reminder refresh interval, idle collection).
        services.AddGrainRuntime()
            .AddAzureTableGrainStorage(StorageName)
            .AddAzureTableReminderTable()
            .AddAscCollabGrains();
        return builder;
    }
}
