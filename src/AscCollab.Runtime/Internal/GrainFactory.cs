namespace AscCollab.Runtime;

internal sealed class GrainFactory(GrainTypeRegistry registry, Catalog catalog) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var grainClass = registry.GetByInterface(typeof(TGrainInterface));
        return GrainReference.Create<TGrainInterface>(new GrainId(grainClass.TypeName, key), catalog);
    }
}
