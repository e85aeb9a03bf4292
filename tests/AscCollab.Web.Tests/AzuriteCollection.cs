using AscCollab.Testing;

namespace AscCollab.Web.Tests;

/// <summary>One Azurite for the assembly; each server has its own tables.</summary>
[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
