namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>One Azurite for the whole assembly; tests isolate themselves with fresh table prefixes.</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
