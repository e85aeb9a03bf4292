using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AscCollab.Runtime;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the in-process grain runtime as a hosted service. Options come from the "GrainRuntime"
    /// configuration section (when the host has configuration), then <paramref name="configure"/>; they are validated at start.
    /// </summary>
    public static IGrainRuntimeBuilder AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(GrainTypeRegistry) && !d.IsKeyedService)?.ImplementationInstance as GrainTypeRegistry;
        if (registry is null)
        {
            registry = new GrainTypeRegistry();
            services.AddSingleton(registry);
            services.AddOptions<GrainRuntimeOptions>().ValidateOnStart();
            services.AddSingleton<IConfigureOptions<GrainRuntimeOptions>, GrainRuntimeOptionsFromConfiguration>();
            services.AddSingleton<IValidateOptions<GrainRuntimeOptions>, GrainRuntimeOptionsValidator>();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<ActivationDirectory>();
            services.AddSingleton<GrainActivator>();
            services.AddSingleton<RuntimeMetrics>();
            services.AddSingleton<GrainEventBus>();
            services.AddSingleton<IGrainEventStream>(sp => sp.GetRequiredService<GrainEventBus>());
            services.AddSingleton<Catalog>();
            services.AddSingleton<IGrainFactory, GrainFactory>();
            services.AddSingleton<ReminderService>();
            services.AddSingleton<ActivationCollector>();
            services.AddHostedService<GrainRuntimeHost>();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new DefaultGrainRuntimeBuilder(services, registry);
    }

    /// <summary>Registers an in-memory storage provider under <paramref name="name"/> (tests, local tools).</summary>
    public static IGrainRuntimeBuilder AddMemoryGrainStorage(this IGrainRuntimeBuilder builder, string name) =>
        builder.AddMemoryGrainStorage(name, new MemoryGrainStorage());

    /// <summary>Registers the given in-memory store under <paramref name="name"/>; share one instance between runtimes to model two processes on one storage.</summary>
    public static IGrainRuntimeBuilder AddMemoryGrainStorage(this IGrainRuntimeBuilder builder, string name, MemoryGrainStorage storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(storage);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, storage);
        return builder;
    }

    public static IGrainRuntimeBuilder AddMemoryReminderTable(this IGrainRuntimeBuilder builder) =>
        builder.AddMemoryReminderTable(new MemoryReminderTable());

    /// <summary>Registers the given in-memory reminder table; share one instance between runtimes to model a restart.</summary>
    public static IGrainRuntimeBuilder AddMemoryReminderTable(this IGrainRuntimeBuilder builder, MemoryReminderTable table)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(table);
        builder.Services.AddSingleton<IReminderTable>(table);
        return builder;
    }
}
