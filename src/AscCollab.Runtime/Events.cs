namespace AscCollab.Runtime;

/// <summary>An event published by a grain, with its source.</summary>
public sealed record GrainEvent(GrainId Source, object Payload);

/// <summary>
/// The host's side of the events port. Handlers run off the grain's turn, in publish order;
/// a handler that throws is logged and does not stop the others.
/// </summary>
public interface IGrainEventStream
{
    IDisposable Subscribe(Func<GrainEvent, ValueTask> handler);
}
