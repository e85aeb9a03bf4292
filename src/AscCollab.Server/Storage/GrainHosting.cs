using System.Net;
using AscCollab.Grains;
using AscCollab.Storage;
using AscCollab.Storage.AzureTable;
using Azure.Data.Tables;
using Orleans.Configuration;

namespace AscCollab.Server;

/// <summary>
/// This process as an Orleans silo co-hosted with ASP.NET Core: cluster membership, plain grain
/// state and reminders in Azure Table storage through Orleans' providers, the proposals' logged
/// state through <see cref="AzureTableLogStorage"/>, all on the account named by <c>ASCCOLLAB_STORAGE</c>.
/// Settings: section "Cluster" (<see cref="ClusterSettings"/>, docs/cluster.md).
/// </summary>
internal static class GrainHosting
{
    /// <summary>The environment variable of the outside contract; it wins over <c>Storage:ConnectionString</c>.</summary>
    public const string StorageVariable = "ASCCOLLAB_STORAGE";

    public const string StorageSection = "Storage";

    /// <summary>Orleans' state rows are keyed by it: never change it for a deployment that has data.</summary>
    public const string ServiceId = "asccollab";

    public static WebApplicationBuilder AddGrains(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = StorageConnectionString(configuration);
        var cluster = ClusterSettings.Read(configuration, builder.Environment);
        var prefix = configuration[$"{StorageSection}:TablePrefix"] ?? "asccollab";

        builder.Services.AddOptions<AscCollab.Storage.AzureTable.AzureTableStorageOptions>(DomainRegistration.ProposalStorage)
            .BindConfiguration(StorageSection)
            .PostConfigure(o => o.ConnectionString = connectionString);
        builder.Services.AddAzureTableLogStorage(DomainRegistration.ProposalStorage);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = ServiceId;
            });
            silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
            silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ClusterSettings.Section}:Membership"));
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.CallTimeout);
            silo.UseAzureStorageClustering(o =>
            {
                o.TableServiceClient = new TableServiceClient(connectionString);
                o.TableName = prefix + "cluster";
            });
            silo.AddAzureTableGrainStorage(DomainRegistration.StateStorage, o =>
            {
                o.TableServiceClient = new TableServiceClient(connectionString);
                o.TableName = prefix + "state";
                o.GrainStorageSerializer = new StateJsonSerializer();
            });
            silo.UseAzureTableReminderService(o =>
            {
                o.TableServiceClient = new TableServiceClient(connectionString);
                o.TableName = prefix + "reminders";
            });
            silo.AddAscCollabGrains();
        });
        return builder;
    }

    /// <summary><c>ASCCOLLAB_STORAGE</c>, else <c>Storage:ConnectionString</c>; a missing or malformed value stops the start with a message naming the variable.</summary>
    public static string StorageConnectionString(IConfiguration configuration)
    {
        var value = configuration[StorageVariable];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration[$"{StorageSection}:ConnectionString"];
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{StorageVariable} is not set: give it an Azure Storage connection string (Azurite's locally; scripts/run-server.sh sets it).");
        }
        try
        {
            _ = new TableServiceClient(value);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{StorageVariable} is not a valid Azure Storage connection string: {ex.Message}", ex);
        }
        return value;
    }
}

/// <summary>The "Cluster" section: ports, cluster id, the address other silos reach this one at.</summary>
internal sealed record ClusterSettings(string ClusterId, int SiloPort, int GatewayPort, IPAddress AdvertisedAddress, bool ListenOnAnyAddress, TimeSpan CallTimeout)
{
    public const string Section = "Cluster";

    public static ClusterSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(Section);
        var clusterId = section["ClusterId"] is { Length: > 0 } id ? id : "asccollab";
        var siloPort = Port(section, "SiloPort", 11111);
        var gatewayPort = Port(section, "GatewayPort", 30000);
        if (siloPort == gatewayPort)
        {
            throw new InvalidOperationException($"{Section}:SiloPort and {Section}:GatewayPort are both {siloPort}; give them different ports.");
        }
        var advertised = section["AdvertisedAddress"] is { Length: > 0 } text
            ? (IPAddress.TryParse(text, out var parsed) ? parsed : throw new InvalidOperationException($"{Section}:AdvertisedAddress '{text}' is not an IP address."))
            : environment.IsDevelopment() ? IPAddress.Loopback : throw new InvalidOperationException($"{Section}:AdvertisedAddress is required outside Development: the address other nodes reach this one at.");
        var listenOnAny = section.GetValue("ListenOnAnyAddress", !environment.IsDevelopment());
        var callTimeout = section.GetValue("CallTimeout", TimeSpan.FromSeconds(30));
        if (callTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:CallTimeout must be positive.");
        }
        return new ClusterSettings(clusterId, siloPort, gatewayPort, advertised, listenOnAny, callTimeout);
    }

    private static int Port(IConfigurationSection section, string key, int fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{section.Path}:{key} '{text}' is not a port (1-65535).");
    }
}
