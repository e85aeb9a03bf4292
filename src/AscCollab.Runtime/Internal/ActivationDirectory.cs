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

    public bool Remove(ActivationData activation) => _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
}
