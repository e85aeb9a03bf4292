using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Runtime;

/// <summary>Configures the grain runtime: grain classes, storage providers, reminder table.</summary>
public interface IGrainRuntimeBuilder
{
    IServiceCollection Services { get; }

    /// <summary>Registers a grain class for its interface; the type name comes from <see cref="GrainTypeAttribute"/>.</summary>
    IGrainRuntimeBuilder AddGrain<TInterface, TGrain>()
        where TInterface : IGrainWithStringKey
        where TGrain : Grain, TInterface;
}
