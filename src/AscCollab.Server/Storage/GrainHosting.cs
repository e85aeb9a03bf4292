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

        // Both tables share one account and prefix ("Storage" section). ASCCOLLAB_STORAGE reaches
        // configuration through the host's environment-variable source under its own name and wins
        // over Storage:ConnectionString. The providers validate at start, so a missing or malformed
        // value stops the host there with a message that names the variable.
        foreach (var name in new[] { StorageName, AzureTableRegistration.ReminderOptionsName })
        {
            services.AddOptions<AzureTableStorageOptions>(name)
                .BindConfiguration(StorageSection)
                .PostConfigure<IConfiguration>((o, configuration) =>
                {
                    var fromVariable = configuration[StorageVariable];
                    if (!string.IsNullOrWhiteSpace(fromVariable))
                    {
                        o.ConnectionString = fromVariable;
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
