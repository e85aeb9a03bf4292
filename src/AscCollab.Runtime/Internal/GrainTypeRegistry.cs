using System.Reflection;

namespace AscCollab.Runtime;

/// <summary>A registered grain class: its type name, how it is constructed, and how calls may interleave.</summary>
internal sealed record GrainClass(
    string TypeName,
    Type Type,
    ConstructorInfo Constructor,
    bool IsReentrant,
    IReadOnlyList<PersistentStateAttribute> States)
{
    public bool IsRemindable => typeof(IRemindable).IsAssignableFrom(Type);
}

/// <summary>Which grain class serves which interface and type name. Filled while services are configured, read-only afterwards.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainClass> _byInterface = [];
    private readonly Dictionary<string, GrainClass> _byTypeName = new(StringComparer.Ordinal);

    public IEnumerable<GrainClass> Classes => _byTypeName.Values;

    private volatile bool _frozen;

    /// <summary>Called when the runtime starts: from then on the maps are read concurrently and never change.</summary>
    public void Freeze() => _frozen = true;

    public void Add(Type grainInterface, Type grainType)
    {
        if (_frozen)
        {
            throw new InvalidOperationException($"Cannot add {grainType.FullName} after the grain runtime has started; register grains while configuring services.");
        }

        GrainInterfaceInfo.Get(grainInterface);
        var grainClass = Describe(grainType);

        if (_byInterface.TryGetValue(grainInterface, out var existing))
        {
            throw new InvalidOperationException(
                $"Grain interface {grainInterface.FullName} is already served by {existing.Type.FullName}; one class per interface.");
        }

        if (_byTypeName.TryGetValue(grainClass.TypeName, out existing) && existing.Type != grainType)
        {
            throw new InvalidOperationException(
                $"Grain type name '{grainClass.TypeName}' is used by both {existing.Type.FullName} and {grainType.FullName}.");
        }

        _byTypeName[grainClass.TypeName] = grainClass;
        _byInterface[grainInterface] = grainClass;
    }

    public GrainClass GetByInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException(
                $"No grain class is registered for {grainInterface.FullName}; call AddGrain<{grainInterface.Name}, TGrain>() on the grain runtime builder.");

    public GrainClass GetByTypeName(string typeName) =>
        _byTypeName.TryGetValue(typeName, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException($"No grain class is registered with grain type name '{typeName}'.");

    private static GrainClass Describe(Type grainType)
    {
        var name = grainType.GetCustomAttribute<GrainTypeAttribute>()?.Name
            ?? throw new InvalidOperationException(
                $"Grain class {grainType.FullName} has no [GrainType(\"name\")] attribute; the name is part of its identity and storage keys.");
        if (string.IsNullOrWhiteSpace(name) || name.Contains('|', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Grain class {grainType.FullName} has an invalid [GrainType] name '{name}': it must be non-empty and must not contain '|'.");
        }

        if (grainType.IsAbstract)
        {
            throw new InvalidOperationException($"Grain class {grainType.FullName} is abstract.");
        }

        var constructors = grainType.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new InvalidOperationException(
                $"Grain class {grainType.FullName} must have exactly one public constructor (it has {constructors.Length}).");
        }

        var states = new List<PersistentStateAttribute>();
        foreach (var parameter in constructors[0].GetParameters())
        {
            if (parameter.GetCustomAttribute<PersistentStateAttribute>() is not { } state)
            {
                continue;
            }

            if (PersistentStateBinding.StateTypeOf(parameter.ParameterType) is null)
            {
                throw new InvalidOperationException(
                    $"Parameter '{parameter.Name}' of {grainType.FullName} has [PersistentState] but is a {parameter.ParameterType.Name}; it must be IPersistentState<T> or ILoggedState<T>.");
            }

            if (string.IsNullOrWhiteSpace(state.StateName) || string.IsNullOrWhiteSpace(state.StorageName))
            {
                throw new InvalidOperationException($"Parameter '{parameter.Name}' of {grainType.FullName}: [PersistentState] needs a state name and a storage name.");
            }

            if (states.Any(s => s.StateName == state.StateName))
            {
                throw new InvalidOperationException($"Grain class {grainType.FullName} declares state '{state.StateName}' twice.");
            }

            states.Add(state);
        }

        return new GrainClass(name, grainType, constructors[0], grainType.GetCustomAttribute<ReentrantAttribute>() is not null, states);
    }
}
