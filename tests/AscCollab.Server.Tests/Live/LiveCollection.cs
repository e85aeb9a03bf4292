using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>
/// The live tests share one Azurite (each server gets a fresh table prefix) and run one after
/// another: each drives a real server with up to eight Node clients.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Live";
}
