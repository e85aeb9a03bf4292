namespace AscCollab.Runtime;

public static class GrainReferenceExtensions
{
    /// <summary>The identity behind a grain reference (or a grain instance), e.g. to name a SignalR group after it.</summary>
    public static GrainId GetGrainId(this IGrain grain) => grain switch
    {
        GrainReference reference => reference.GrainId,
        Grain instance => instance.GrainId,
        _ => throw new ArgumentException($"{grain?.GetType().Name ?? "null"} is neither a grain reference nor a grain.", nameof(grain)),
    };
}
