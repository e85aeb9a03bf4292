using AscCollab.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AscCollab.Storage.AzureTable;

/// <summary>Registers the Azure Table providers on the grain runtime.</summary>
public static class AzureTableRegistration
{
    /// <summary>The named options instance the reminder table reads.</summary>
    public const string ReminderOptionsName = "AscCollab.Reminders";

    /// <summary>
    /// Registers an <see cref="IGrainStorage"/> keyed by <paramref name="name"/> (the storage name in
    /// <see cref="PersistentStateAttribute"/>) and the <see cref="AzureTableHealthProbe"/>. Options are
    /// validated when the host starts; tables are created on first use.
    /// </summary>
    public static IGrainRuntimeBuilder AddAzureTableGrainStorage(this IGrainRuntimeBuilder builder, string name, Action<AzureTableStorageOptions>? configure = null)
    {
        builder.Services.AddAzureTableGrainStorage(name, configure);
        return builder;
    }

    /// <summary>Registers the <see cref="IReminderTable"/> on Azure Table storage, with the same options and checks.</summary>
    public static IGrainRuntimeBuilder AddAzureTableReminderTable(this IGrainRuntimeBuilder builder, Action<AzureTableStorageOptions>? configure = null)
    {
        builder.Services.AddAzureTableReminderTable(configure);
        return builder;
    }

    internal static IServiceCollection AddAzureTableGrainStorage(this IServiceCollection services, string name, Action<AzureTableStorageOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AddOptions(services, name, configure);
        services.AddKeyedSingleton(name, (sp, _) => new AzureTableGrainStorage(OptionsFor(sp, name), Logger<AzureTableGrainStorage>(sp)));
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => sp.GetRequiredKeyedService<AzureTableGrainStorage>(name));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<AzureTableGrainStorage>(name).Connection);
        AddProbe(services);
        return services;
    }

    internal static IServiceCollection AddAzureTableReminderTable(this IServiceCollection services, Action<AzureTableStorageOptions>? configure)
    {
        AddOptions(services, ReminderOptionsName, configure);
        services.AddSingleton(sp => new AzureTableReminderTable(OptionsFor(sp, ReminderOptionsName), Logger<AzureTableReminderTable>(sp)));
        services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<AzureTableReminderTable>());
        services.AddSingleton(sp => sp.GetRequiredService<AzureTableReminderTable>().Connection);
        AddProbe(services);
        return services;
    }

    private static void AddOptions(IServiceCollection services, string name, Action<AzureTableStorageOptions>? configure)
    {
        services.AddOptions<AzureTableStorageOptions>(name).Configure(options => configure?.Invoke(options)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureTableStorageOptions>, AzureTableStorageOptionsValidator>());
    }

    private static void AddProbe(IServiceCollection services) =>
        services.TryAddSingleton(sp => new AzureTableHealthProbe(sp.GetServices<TableConnection>(), Logger<AzureTableHealthProbe>(sp)));

    // Get() runs the validator, so a service resolved before the host started still fails clearly.
    private static AzureTableStorageOptions OptionsFor(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<AzureTableStorageOptions>>().Get(name);

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
