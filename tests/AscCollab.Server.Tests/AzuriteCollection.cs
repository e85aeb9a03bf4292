using AscCollab.Testing;

namespace AscCollab.Server.Tests;

/// <summary>One Azurite for the whole assembly (Live/ tests included); each host gets its own tables.</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
