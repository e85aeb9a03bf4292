using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;

namespace AscCollab.Storage;

public static class LoggedStateRegistration
{
    /// <summary>Lets grains take <c>[LoggedState(state, storage)] ILoggedState&lt;T&gt;</c>; a storage is added with <see cref="AddLogStorage"/>.</summary>
    public static IServiceCollection AddLoggedState(this IServiceCollection services)
    {
        services.TryAddSingleton<IAttributeToFactoryMapper<LoggedStateAttribute>, LoggedStateAttributeMapper>();
        services.TryAddSingleton(new LoggedStateJson(StateJson.Options));
        return services;
    }

    /// <summary>Registers <paramref name="factory"/> as the log storage named <paramref name="name"/>.</summary>
    public static IServiceCollection AddLogStorage(this IServiceCollection services, string name, Func<IServiceProvider, ILogStorage> factory)
    {
        services.AddLoggedState();
        services.AddKeyedSingleton(name, (sp, _) => factory(sp));
        return services;
    }

    /// <summary>An in-memory log storage (tests, local tools): conditional writes as in Azure Table storage.</summary>
    public static IServiceCollection AddMemoryLogStorage(this IServiceCollection services, string name, MemoryLogStorage? shared = null)
    {
        var storage = shared ?? new MemoryLogStorage();
        return services.AddLogStorage(name, _ => storage);
    }
}
