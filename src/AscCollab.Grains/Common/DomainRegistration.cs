using AscCollab.Storage;
using Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

public static class DomainRegistration
{
    /// <summary>
    /// Options (section "AscCollab", validated at start), the roster, the chairmanship and a
    /// <see cref="TimeProvider"/> (the system clock unless one is already registered).
    /// </summary>
    public static IServiceCollection AddAscCollabDomain(this IServiceCollection services, Action<AscCollabOptions>? configure = null)
    {
        var options = services.AddOptions<AscCollabOptions>()
            .BindConfiguration(AscCollabOptions.SectionName)
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AscCollabOptions>, AscCollabDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AscCollabOptions>, AscCollabOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AscCollabOptions>, IntegrityOptionsValidator>());
        services.TryAddSingleton<AuditKeys>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRoster, ConfiguredRoster>();
        services.TryAddSingleton<IChairmanship, ScheduledChairmanship>();
        return services;
    }

    /// <summary>
    /// The domain's services in a silo: <see cref="AddAscCollabDomain"/> and the logged-state facet.
    /// Grain classes are found by Orleans itself; the host adds the storage named "store" (plain state),
    /// the log storage named <see cref="ProposalStorage"/> and reminders.
    /// </summary>
    public static ISiloBuilder AddAscCollabGrains(this ISiloBuilder builder, Action<AscCollabOptions>? configure = null)
    {
        builder.Services.AddAscCollabDomain(configure);
        builder.Services.AddLoggedState();
        builder.Services.AddIntegritySweep();
        return builder;
    }

    /// <summary>The plain grain state's storage name ("store").</summary>
    public const string StateStorage = "store";

    /// <summary>The proposals' logged state's storage name.</summary>
    public const string ProposalStorage = "proposals";
}
