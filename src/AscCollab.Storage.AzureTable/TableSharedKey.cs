using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// Shared Key authorization for the Table service: the signature is HMAC-SHA256, under the
/// decoded account key, of <c>VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedResource</c>,
/// where Date is the <c>x-ms-date</c> header and the resource is <c>/{account}{encoded URI path}</c>
/// (for path-style endpoints such as Azurite's the path starts with the account again).
/// </summary>
internal sealed class TableSharedKey
{
    private static CachedDate? s_date;

    private readonly byte[] _key;
    private readonly string _prefix;

    public TableSharedKey(string accountName, byte[] key)
    {
        AccountName = accountName;
        _key = key;
        _prefix = "SharedKey " + accountName + ":";
    }

    public string AccountName { get; }

    /// <summary>The <c>x-ms-date</c> value for now (RFC 1123); formatted once per second.</summary>
    public static string Now()
    {
        var now = DateTime.UtcNow;
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        var cached = Volatile.Read(ref s_date);
        if (cached is not null && cached.Second == second)
        {
            return cached.Value;
        }

        cached = new CachedDate(second, new DateTime(second * TimeSpan.TicksPerSecond, DateTimeKind.Utc).ToString("R", CultureInfo.InvariantCulture));
        Volatile.Write(ref s_date, cached);
        return cached.Value;
    }

    /// <summary>The canonicalized resource of a request to <paramref name="uri"/>: the path exactly as sent, no query (we never use <c>comp</c>).</summary>
    public string CanonicalizedResource(Uri uri) => "/" + AccountName + uri.AbsolutePath;

    /// <summary>The <c>Authorization</c> header value.</summary>
    public string Authorization(string method, string contentType, string date, string canonicalizedResource)
    {
        var length = method.Length + contentType.Length + date.Length + Encoding.UTF8.GetMaxByteCount(canonicalizedResource.Length) + 4;
        byte[]? rented = null;
        var text = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.ASCII.GetBytes(method, text);
            text[written++] = (byte)'\n';
            text[written++] = (byte)'\n'; // Content-MD5: we send none
            written += Encoding.ASCII.GetBytes(contentType, text[written..]);
            text[written++] = (byte)'\n';
            written += Encoding.ASCII.GetBytes(date, text[written..]);
            text[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(canonicalizedResource, text[written..]);

            Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, text[..written], hash);
            return string.Concat(_prefix, Convert.ToBase64String(hash));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private sealed record CachedDate(long Second, string Value);
}
