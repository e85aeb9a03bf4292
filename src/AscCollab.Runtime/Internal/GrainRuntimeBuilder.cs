using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Runtime;

internal sealed class DefaultGrainRuntimeBuilder(IServiceCollection services, GrainTypeRegistry registry) : IGrainRuntimeBuilder
{
    public IServiceCollection Services { get; } = services;

    public IGrainRuntimeBuilder AddGrain<TInterface, TGrain>()
        where TInterface : IGrainWithStringKey
        where TGrain : Grain, TInterface
    {
        registry.Add(typeof(TInterface), typeof(TGrain));
        return this;
    }
}
