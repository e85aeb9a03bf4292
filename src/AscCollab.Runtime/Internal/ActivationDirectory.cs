using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace AscCollab.Runtime;

/// <summary>The live activations of this process, one per grain id. An activation leaves only when fully deactivated.</summary>
internal sealed class ActivationDirectory
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();

    public int Count => _activations.Count;

    public IEnumerable<ActivationData> All => _activations.Values;

    public bool TryGet(GrainId grainId, [NotNullWhen(true)] out ActivationData? activation) => _activations.TryGetValue(grainId, out activation);

    public bool TryAdd(ActivationData activation) => _activations.TryAdd(activation.GrainId, activation);

    /// <summary>Hands <paramref name="current"/>'s slot to <paramref name="next"/> in one step: no call can see the key empty in between.</summary>
    public bool TryReplace(ActivationData current, ActivationData next) => _activations.TryUpdate(current.GrainId, next, current);

    public bool Remove(ActivationData activation) => _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
}
