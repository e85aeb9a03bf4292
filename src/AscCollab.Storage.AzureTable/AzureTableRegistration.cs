using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AscCollab.Storage.AzureTable;

/// <summary>Registers log storages on Azure Table storage for <see cref="LoggedStateAttribute"/>.</summary>
public static class AzureTableRegistration
{
    /// <summary>
    /// Registers an <see cref="AzureTableLogStorage"/> as the <see cref="ILogStorage"/> named
    /// <paramref name="name"/> (the storage name in <c>[LoggedState(state, name)]</c>) and the
    /// <see cref="AzureTableHealthProbe"/>. Its options are the <see cref="AzureTableStorageOptions"/>
    /// named <paramref name="name"/> (configure them with <c>AddOptions&lt;AzureTableStorageOptions&gt;(name)</c>);
    /// they are validated when the host starts. The table is created on first use.
    /// </summary>
    public static IServiceCollection AddAzureTableLogStorage(this IServiceCollection services, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddOptions<AzureTableStorageOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureTableStorageOptions>, AzureTableStorageOptionsValidator>());
        services.AddKeyedSingleton(name, (sp, _) => new AzureTableLogStorage(OptionsFor(sp, name), Logger<AzureTableLogStorage>(sp)));
        services.AddLogStorage(name, sp => sp.GetRequiredKeyedService<AzureTableLogStorage>(name));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<AzureTableLogStorage>(name).Connection);
        services.TryAddSingleton(sp => new AzureTableHealthProbe(sp.GetServices<TableConnection>(), Logger<AzureTableHealthProbe>(sp)));
        return services;
    }

    /// <summary>As <see cref="AddAzureTableLogStorage(IServiceCollection, string)"/>, configuring the options with <paramref name="configure"/>.</summary>
    public static IServiceCollection AddAzureTableLogStorage(this IServiceCollection services, string name, Action<AzureTableStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddAzureTableLogStorage(name);
        services.Configure(name, configure);
        return services;
    }

    // Get() runs the validator, so a storage resolved before the host started still fails clearly.
    private static AzureTableStorageOptions OptionsFor(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<AzureTableStorageOptions>>().Get(name);

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
