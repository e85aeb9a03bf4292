using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>The audit head a receipt names: the entry's sequence number and its hash.</summary>
internal sealed record ReceiptAuditHead(long Sequence, string Hash);

/// <summary>
/// The signed payload of a receipt (docs/api.md, Receipts). Field names and meanings never change;
/// <see cref="At"/> is when the act was committed, <see cref="IssuedAt"/> when this copy was signed
/// (a receipt downloaded again is a new signature over the same facts).
/// </summary>
internal sealed record ReceiptClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    string Proposal,
    ReceiptAct Act,
    string Member,
    Position? Position,
    string? ReasonSha256,
    long Revision,
    string TextSha256,
    ReceiptAuditHead AuditHead,
    DateTimeOffset At,
    [property: JsonPropertyName("iat")] long IssuedAt,
    string Kid)
{
    public const string AscCollabIssuer = "asccollab";

    public static ReceiptClaims Of(ReceiptFacts facts, string kid, DateTimeOffset now) => new(
        AscCollabIssuer, facts.ProposalId, facts.Act, facts.Member, facts.Position, facts.ReasonSha256, facts.Revision,
        facts.TextSha256, new ReceiptAuditHead(facts.AuditSequence, facts.AuditHash), facts.At, now.ToUnixTimeSeconds(), kid);
}

/// <summary>Why a string is not a valid receipt; each is one error code (docs/errors.md).</summary>
internal enum ReceiptRefusal
{
    Malformed,
    UnknownKey,
    BadSignature,
}

/// <summary>
/// Receipts as compact JWS (RFC 7515), ES256, header <c>{"alg":"ES256","kid":…,"typ":"asccollab-receipt+jws"}</c>,
/// the payload <see cref="ReceiptClaims"/> as UTF-8 JSON.
/// </summary>
internal static class ReceiptJws
{
    public const string Algorithm = "ES256";
    public const string Type = "asccollab-receipt+jws";

    /// <summary>Longer than any receipt this server signs by far; a longer string is refused unread.</summary>
    public const int MaxLength = 8192;

    public static JsonSerializerOptions Json { get; } = CreateJson();

    public static string Sign(ReceiptKey key, ReceiptClaims claims)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Header(Algorithm, key.Kid, Type), Json));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims, Json));
        var signingInput = header + "." + payload;
        return signingInput + "." + Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Checks the form, the key id and the signature, in that order; the claims only when all three hold.</summary>
    public static bool TryVerify(string jws, ReceiptKeyRing keys, [NotNullWhen(true)] out ReceiptClaims? claims, out ReceiptRefusal refusal, out string detail)
    {
        claims = null;
        refusal = ReceiptRefusal.Malformed;
        var parts = jws.Trim().Split('.');
        if (jws.Length > MaxLength || parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            detail = "A receipt is a compact JWS: three base64url parts separated by dots.";
            return false;
        }
        if (!TryDecode(parts[0], out var headerBytes) || !TryDeserialize<Header>(headerBytes, out var header) || header.Alg != Algorithm || header.Kid is not { Length: > 0 })
        {
            detail = $"The receipt's header is not an {Algorithm} JWS header with a kid.";
            return false;
        }
        if (keys.Find(header.Kid) is not { } key)
        {
            refusal = ReceiptRefusal.UnknownKey;
            detail = $"The receipt names key '{Shorten(header.Kid)}', which is not one of this deployment's receipt keys (GET /api/receipts/jwks).";
            return false;
        }
        if (!TryDecode(parts[2], out var signature) || !key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
        {
            refusal = ReceiptRefusal.BadSignature;
            detail = $"The signature does not match the receipt's content under key '{key.Kid}': the receipt was changed or not signed by this deployment.";
            return false;
        }
        if (!TryDecode(parts[1], out var payload) || !TryDeserialize<ReceiptClaims>(payload, out var read) || read.Issuer != ReceiptClaims.AscCollabIssuer || read.Kid != key.Kid)
        {
            detail = "The receipt's payload is not a receipt of this server.";
            return false;
        }
        claims = read;
        detail = "";
        return true;
    }

    private static bool TryDeserialize<T>(byte[] json, [NotNullWhen(true)] out T? value) where T : class
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(json, Json);
            return value is not null;
        }
        catch (JsonException)
        {
            value = null;
            return false;
        }
    }

    private static bool TryDecode(string part, [NotNullWhen(true)] out byte[]? bytes)
    {
        try
        {
            bytes = Decode(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = null;
            return false;
        }
    }

    private static string Encode(byte[] bytes) => ReceiptKey.Base64Url(bytes);

    private static byte[] Decode(string part)
    {
        if (part.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new FormatException("Not base64url.");
        }
        var base64 = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            // Base64url-encoded, never put into HTML: "+" in the typ stays "+".
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record Header(string Alg, string Kid, string? Typ);
}
