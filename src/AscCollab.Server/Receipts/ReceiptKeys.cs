using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AscCollab.Server;

/// <summary>One receipt key: its id, the EC P-256 key, and whether this node holds its private part (only then it can sign).</summary>
internal sealed class ReceiptKey
{
    private readonly ECDsa _key;

    // ECDsa instances are not documented as safe for concurrent use; receipts are few, so one at a time.
    private readonly Lock _gate = new();

    public ReceiptKey(string kid, ECDsa key, bool canSign)
    {
        (Kid, _key, CanSign) = (kid, key, canSign);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        Jwk = new ReceiptJwk("EC", "P-256", Base64Url(point.X!), Base64Url(point.Y!), kid, "sig", ReceiptJws.Algorithm);
    }

    public string Kid { get; }

    public bool CanSign { get; }

    /// <summary>The public key as published in the JWKS.</summary>
    public ReceiptJwk Jwk { get; }

    /// <summary>ES256: ECDSA P-256 over SHA-256, the signature as r‖s (64 bytes), as JWS wants it.</summary>
    public byte[] Sign(byte[] data)
    {
        if (!CanSign)
        {
            throw new InvalidOperationException($"Receipt key '{Kid}' has no private part on this node: it only verifies.");
        }
        lock (_gate)
        {
            return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    public bool Verify(byte[] data, byte[] signature)
    {
        lock (_gate)
        {
            return _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    /// <summary>RFC 7638 thumbprint of the public key (base64url SHA-256 of its canonical JWK): a key id every node derives alike.</summary>
    public static string Thumbprint(ECDsa key)
    {
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url(point.X!)}\",\"y\":\"{Base64Url(point.Y!)}\"}}";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A public key of the JWKS (RFC 7517), as <c>GET /api/receipts/jwks</c> publishes it.</summary>
internal sealed record ReceiptJwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

/// <summary>The JWKS document: every key a receipt may name, the current one first.</summary>
internal sealed record ReceiptJwks(IReadOnlyList<ReceiptJwk> Keys);

/// <summary>
/// The receipt keys of this deployment: the one that signs now (<see cref="Current"/>) and every key
/// whose receipts still verify (rotation keeps the old ones, their private part may be gone).
/// Built once at start by <see cref="ReceiptKeyLoader"/>; never stored in the data store.
/// </summary>
internal sealed class ReceiptKeyRing
{
    private readonly Dictionary<string, ReceiptKey> _byKid;

    public ReceiptKeyRing(IReadOnlyList<ReceiptKey> keys, ReceiptKey current, string source)
    {
        _byKid = keys.ToDictionary(k => k.Kid, StringComparer.Ordinal);
        Current = current;
        Source = source;
        Jwks = new ReceiptJwks([current.Jwk, .. keys.Where(k => k != current).Select(k => k.Jwk)]);
    }

    public ReceiptKey Current { get; }

    /// <summary>Where the keys came from, for the start-up log line (a setting or a file; never a key).</summary>
    public string Source { get; }

    public ReceiptJwks Jwks { get; }

    public IReadOnlyCollection<ReceiptKey> Keys => _byKid.Values;

    public ReceiptKey? Find(string kid) => _byKid.GetValueOrDefault(kid);

    /// <summary>The JWKS as JSON (for tests and tools that hold a ring directly).</summary>
    public string JwksJson() => JsonSerializer.Serialize(Jwks, ReceiptJws.Json);
}
