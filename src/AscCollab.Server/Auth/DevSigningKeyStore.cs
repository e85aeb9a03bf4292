using System.Net;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;

namespace AscCollab.Server;

/// <summary>What <see cref="DevSigningKeyStore.GetOrCreateAsync"/> found: the key, and whether this call created it.</summary>
internal sealed record StoredDevSigningKey(byte[] Key, bool Created);

/// <summary>
/// The Development signing key's row: table <c>{prefix}devkeys</c>, PartitionKey
/// <see cref="PartitionKey"/>, RowKey <see cref="RowKey"/>, the key in the binary property
/// <see cref="KeyProperty"/>. Deleting the row rotates the key: the next node to start creates a new one.
/// </summary>
internal sealed class DevSigningKeyStore(TableClient table)
{
    public const string TableSuffix = "devkeys";
    public const string PartitionKey = "dev-signing-key";
    public const string RowKey = "current";
    public const string KeyProperty = "Key";
    public const int KeyBytes = 32;

    public string TableName => table.Name;

    /// <summary>
    /// The stored key, created with <see cref="KeyBytes"/> random bytes when there is none. When
    /// two nodes create it at once, AddEntity lets one win; the other gets 409 and reads the winner's.
    /// </summary>
    public async Task<StoredDevSigningKey> GetOrCreateAsync(CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        if (await ReadAsync(cancellationToken) is { } existing)
        {
            return new StoredDevSigningKey(existing, Created: false);
        }

        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            await table.AddEntityAsync(new TableEntity(PartitionKey, RowKey) { [KeyProperty] = key }, cancellationToken);
            return new StoredDevSigningKey(key, Created: true);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return new StoredDevSigningKey(
                await ReadAsync(cancellationToken) ?? throw new InvalidOperationException(
                    $"Another node created the Development signing key row in table '{table.Name}' and it is gone again; start this node once more.", ex),
                Created: false);
        }
    }

    private async Task<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        return response.Value!.GetBinary(KeyProperty) is { Length: KeyBytes } key
            ? key
            : throw new InvalidOperationException(
                $"The Development signing key row ({PartitionKey}/{RowKey} in table '{table.Name}') has no {KeyBytes}-byte binary property '{KeyProperty}'. " +
                "Delete the row; the next node to start creates a new key.");
    }
}
