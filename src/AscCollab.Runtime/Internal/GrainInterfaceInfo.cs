using System.Collections.Concurrent;
using System.Reflection;

namespace AscCollab.Runtime;

/// <summary>The checked shape of a grain interface: every method returns Task or Task&lt;T&gt;.</summary>
internal sealed class GrainInterfaceInfo
{
    // Reflection results only; never holds activations or state.
    private static readonly ConcurrentDictionary<Type, GrainInterfaceInfo> Cache = new();

    private readonly Dictionary<MethodInfo, GrainMethod> _methods;

    private GrainInterfaceInfo(Dictionary<MethodInfo, GrainMethod> methods) => _methods = methods;

    public static GrainInterfaceInfo Get(Type grainInterface) => Cache.GetOrAdd(grainInterface, Build);

    public GrainMethod this[MethodInfo method] =>
        _methods.TryGetValue(method, out var grainMethod)
            ? grainMethod
            : throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name} is not a method of this grain interface.");

    private static GrainInterfaceInfo Build(Type grainInterface)
    {
        if (!grainInterface.IsInterface)
        {
            throw new InvalidOperationException($"{grainInterface.FullName} is not an interface; grains are called through interfaces.");
        }

        var methods = new Dictionary<MethodInfo, GrainMethod>();
        var problems = new List<string>();
        foreach (var type in grainInterface.GetInterfaces().Prepend(grainInterface))
        {
            foreach (var method in type.GetMethods())
            {
                if (GrainMethod.Problem(method) is { } problem)
                {
                    problems.Add(problem);
                }
                else
                {
                    methods[method] = new GrainMethod(method);
                }
            }
        }

        return problems.Count == 0
            ? new GrainInterfaceInfo(methods)
            : throw new InvalidOperationException($"Grain interface {grainInterface.FullName} cannot be called: {string.Join("; ", problems)}.");
    }
}

/// <summary>One callable grain method: how it interleaves and how its result reaches the caller.</summary>
internal sealed class GrainMethod
{
    private static readonly MethodInfo CastMethod = typeof(GrainMethod).GetMethod(nameof(CastAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly PropertyInfo? _result;
    private readonly Func<Task<object?>, Task>? _toTypedTask;

    public GrainMethod(MethodInfo method)
    {
        Method = method;
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        IsOneWay = method.GetCustomAttribute<OneWayAttribute>() is not null;
        AlwaysInterleave = method.GetCustomAttribute<AlwaysInterleaveAttribute>() is not null;
        if (method.ReturnType.IsGenericType)
        {
            var resultType = method.ReturnType.GetGenericArguments()[0];
            _result = method.ReturnType.GetProperty(nameof(Task<object>.Result));
            _toTypedTask = CastMethod.MakeGenericMethod(resultType).CreateDelegate<Func<Task<object?>, Task>>();
        }
    }

    public MethodInfo Method { get; }
    public string Name { get; }
    public bool IsOneWay { get; }
    public bool AlwaysInterleave { get; }

    public static string? Problem(MethodInfo method)
    {
        var name = $"{method.DeclaringType?.Name}.{method.Name}";
        if (method.IsGenericMethodDefinition)
        {
            return $"{name} is generic (not supported)";
        }

        var returnType = method.ReturnType;
        var returnsTask = returnType == typeof(Task) || (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>));
        if (!returnsTask)
        {
            return $"{name} returns {returnType.Name}, but grain methods must return Task or Task<T>";
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            return $"{name} has a ref/out parameter";
        }

        return method.GetCustomAttribute<OneWayAttribute>() is not null && returnType != typeof(Task)
            ? $"{name} is [OneWay] and must return Task (nobody waits for its result)"
            : null;
    }

    /// <summary>Runs the grain method; called on the activation's scheduler.</summary>
    public async Task<object?> InvokeAsync(Grain grain, object?[] arguments)
    {
        var task = (Task?)Method.Invoke(grain, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null)
            ?? throw new InvalidOperationException($"{Name} on {grain.GrainId} returned a null Task.");
        await task;
        return _result?.GetValue(task);
    }

    /// <summary>Turns the runtime's untyped response into the Task or Task&lt;T&gt; the interface promises.</summary>
    public Task ToCallerTask(Task<object?> response) => _toTypedTask is null ? response : _toTypedTask(response);

    private static async Task<T> CastAsync<T>(Task<object?> response) => (T)(await response.ConfigureAwait(false))!;
}
