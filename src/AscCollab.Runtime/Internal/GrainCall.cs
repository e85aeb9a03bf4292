using System.Diagnostics;

namespace AscCollab.Runtime;

/// <summary>One message to an activation. It may outlive an activation: calls queued on one that deactivates move to the next.</summary>
internal sealed class GrainCall(GrainId grainId, GrainMethod method, object?[] arguments)
{
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrainId GrainId { get; } = grainId;
    public GrainMethod Method { get; } = method;
    public object?[] Arguments { get; } = arguments;
    public long StartedAt { get; } = Stopwatch.GetTimestamp();
    public Task<object?> Response => _completion.Task;

    public void Complete(object? result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}

/// <summary>The activation whose turn is running on this logical flow, if any (calls made from grain code carry it).</summary>
internal static class RuntimeContext
{
    private static readonly AsyncLocal<ActivationData?> CurrentActivation = new();

    public static ActivationData? Current
    {
        get => CurrentActivation.Value;
        set => CurrentActivation.Value = value;
    }
}
