using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace AscCollab.Runtime;

/// <summary>
/// Constructs grain instances: [PersistentState] parameters get bound states, an IGrainContext parameter
/// gets the activation (for the key inside the constructor), the rest come from DI.
/// </summary>
internal sealed class GrainActivator(IServiceProvider services)
{
    public (Grain Grain, IReadOnlyList<IStateBinding> States) Create(GrainClass grainClass, IGrainContext context)
    {
        var grainId = context.GrainId;
        var parameters = grainClass.Constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        var states = new List<IStateBinding>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
            {
                var state = PersistentStateBinding.Create(
                    PersistentStateBinding.StateTypeOf(parameters[i].ParameterType)!, grainId, attribute.StateName, GetStorage(grainClass, attribute),
                    services.GetService<RuntimeMetrics>());
                states.Add(state);
                arguments[i] = state;
            }
            else if (parameters[i].ParameterType == typeof(IGrainContext))
            {
                arguments[i] = context;
            }
            else
            {
                arguments[i] = ResolveService(grainClass, parameters[i]);
            }
        }

        return ((Grain)grainClass.Constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null), states);
    }

    /// <summary>Fails the host's start, not the first call, when a grain names a storage nobody registered.</summary>
    public void Validate(GrainClass grainClass)
    {
        foreach (var state in grainClass.States)
        {
            GetStorage(grainClass, state);
        }
    }

    private IGrainStorage GetStorage(GrainClass grainClass, PersistentStateAttribute state) =>
        services.GetKeyedService<IGrainStorage>(state.StorageName)
            ?? throw new InvalidOperationException(
                $"Grain {grainClass.Type.Name} wants state '{state.StateName}' in storage '{state.StorageName}', but no IGrainStorage is registered under that name; " +
                $"call AddMemoryGrainStorage(\"{state.StorageName}\") or AddAzureTableGrainStorage(\"{state.StorageName}\", ...) on the grain runtime builder.");

    private object? ResolveService(GrainClass grainClass, ParameterInfo parameter)
    {
        var service = services.GetService(parameter.ParameterType);
        if (service is not null)
        {
            return service;
        }

        return parameter.HasDefaultValue
            ? parameter.DefaultValue
            : throw new InvalidOperationException(
                $"Cannot construct grain {grainClass.Type.Name}: no service of type {parameter.ParameterType.Name} for parameter '{parameter.Name}'.");
    }
}
