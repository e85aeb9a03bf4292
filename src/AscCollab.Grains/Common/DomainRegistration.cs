using AscCollab.Runtime;
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
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRoster, ConfiguredRoster>();
        services.TryAddSingleton<IChairmanship, ScheduledChairmanship>();
        return services;
    }

    /// <summary>Registers every AscCollab grain. Grain state uses the storage named "store".</summary>
    public static IGrainRuntimeBuilder AddAscCollabGrains(this IGrainRuntimeBuilder builder) =>
        builder
            .AddGrain<IProposalGrain, ProposalGrain>()
            .AddGrain<IMemberGrain, MemberGrain>()
            .AddGrain<IActivityGrain, ActivityGrain>()
            .AddGrain<IActivityCatalogGrain, ActivityCatalogGrain>()
            .AddGrain<IAdHocGroupGrain, AdHocGroupGrain>()
            .AddGrain<IGroupDirectoryGrain, GroupDirectoryGrain>()
            .AddGrain<IProgressGrain, ProgressGrain>();
}
