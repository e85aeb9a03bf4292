using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AscCollab.Server;

/// <summary>
/// Development only: the HMAC key that signs and validates Development tokens. It is the same on
/// every node of a deployment and across restarts, because <see cref="DevSigningKeyLoader"/> reads
/// it from Azure Table storage (<see cref="DevSigningKeyStore"/>) before the host serves anything.
/// </summary>
internal sealed class DevSigningKey
{
    private SymmetricSecurityKey? _key;

    /// <summary>The loaded key; throws until <see cref="DevSigningKeyLoader"/> has loaded it.</summary>
    public SymmetricSecurityKey Key => Volatile.Read(ref _key)
        ?? throw new InvalidOperationException("The Development token signing key is not loaded: it is read from Azure Table storage when the host starts.");

    public void Load(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // The key id is derived from the key: tokens signed before a rotation name a key no node holds.
        var keyId = "dev-" + Convert.ToHexStringLower(SHA256.HashData(key))[..12];
        Volatile.Write(ref _key, new SymmetricSecurityKey(key) { KeyId = keyId });
    }
}
