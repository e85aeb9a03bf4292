using System.Reflection;

namespace AscCollab.Runtime;

/// <summary>
/// The object behind a grain interface reference: every call becomes a message to the catalog.
/// Not sealed because DispatchProxy emits a subclass of it at run time.
/// </summary>
internal class GrainReference : DispatchProxy
{
    private GrainId _grainId;
    private GrainInterfaceInfo? _interface;
    private Catalog? _catalog;

    public static TGrainInterface Create<TGrainInterface>(GrainId grainId, Catalog catalog)
    {
        var proxy = Create<TGrainInterface, GrainReference>();
        var reference = (GrainReference)(object)proxy!;
        reference._grainId = grainId;
        reference._interface = GrainInterfaceInfo.Get(typeof(TGrainInterface));
        reference._catalog = catalog;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = _interface![targetMethod];
        return method.IsOneWay
            ? _catalog!.SendOneWay(_grainId, method, args ?? [])
            : method.ToCallerTask(_catalog!.InvokeAsync(_grainId, method, args ?? []));
    }

    public GrainId GrainId => _grainId;

    public override string ToString() => $"GrainReference({_grainId})";
}
