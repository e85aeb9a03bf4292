using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>One audit key: its id (recorded in every entry it signs) and its secret.</summary>
public sealed class AuditKey(string id, byte[] secret)
{
    public string Id { get; } = id;

    /// <summary>HMAC-SHA256 of <paramref name="canonical"/>, lower-case hex.</summary>
    public string Sign(string canonical) => Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(canonical)));
}

/// <summary>
/// The audit keys a silo knows (configuration <c>AscCollab:Integrity</c>): new entries are signed with
/// <see cref="Current"/>; every configured key verifies the entries that name it, so a rotated-out key
/// stays configured as long as entries signed with it are to be verified.
/// </summary>
public sealed class AuditKeyRing
{
    /// <summary>The id under which entries written before keys (plain SHA-256, no key id) are reported.</summary>
    public const string LegacyKeyId = "sha256";

    private readonly Dictionary<string, AuditKey> _keys;

    public AuditKeyRing(IReadOnlyDictionary<string, byte[]> keys, string currentId, bool allowUnkeyedEntries)
    {
        _keys = keys.ToDictionary(k => k.Key, k => new AuditKey(k.Key, k.Value), StringComparer.Ordinal);
        Current = _keys[currentId];
        AllowUnkeyedEntries = allowUnkeyedEntries;
    }

    public AuditKey Current { get; }

    public bool AllowUnkeyedEntries { get; }

    public IReadOnlyCollection<string> Ids => _keys.Keys;

    public bool TryGet(string id, [NotNullWhen(true)] out AuditKey? key) => _keys.TryGetValue(id, out key);

    /// <summary>The ring of <paramref name="options"/> (validated at start by <see cref="IntegrityOptionsValidator"/>).</summary>
    public static AuditKeyRing From(IntegrityOptions options)
    {
        var keys = options.AuditKeys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal);
        var current = options.CurrentKeyId is { Length: > 0 } id ? id : keys.Keys.Single();
        return new AuditKeyRing(keys, current, options.AllowUnkeyedEntries);
    }
}

/// <summary>The grains' view of the key ring: rebuilt when the options change (a key added or made current without a restart).</summary>
public sealed class AuditKeys(IOptionsMonitor<AscCollabOptions> options)
{
    private IntegrityOptions? _source;
    private AuditKeyRing? _ring;

    public AuditKeyRing Ring
    {
        get
        {
            var current = options.CurrentValue.Integrity;
            if (!ReferenceEquals(current, _source) || _ring is null)
            {
                _ring = AuditKeyRing.From(current);
                _source = current;
            }
            return _ring;
        }
    }
}

/// <summary>The section <c>AscCollab:Integrity</c>: audit keys, whether legacy unkeyed entries verify, the background check.</summary>
public sealed class IntegrityOptions
{
    public const int MinKeyBytes = 32;

    /// <summary>Key id → secret (base64, at least 32 bytes). Never in the repository or the data store.</summary>
    public Dictionary<string, string> AuditKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key new entries are signed with; may be left out when there is one key.</summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>
    /// Accept entries written before keys (plain SHA-256, no key id) ahead of the first keyed entry.
    /// Off by default: a chain of unkeyed entries proves nothing against someone who can write storage.
    /// </summary>
    public bool AllowUnkeyedEntries { get; set; }

    /// <summary>How often every proposal's whole history is checked in the background (at least 1 minute); zero turns it off.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Audit entries (and the ops they name) checked when a proposal activates.</summary>
    public int TailEntries { get; set; } = 100;
}

internal sealed partial class IntegrityOptionsValidator : IValidateOptions<AscCollabOptions>
{
    public ValidateOptionsResult Validate(string? name, AscCollabOptions options)
    {
        var integrity = options.Integrity;
        var failures = new List<string>();
        if (integrity.AuditKeys.Count == 0)
        {
            failures.Add("AscCollab:Integrity:AuditKeys is empty: configure an audit key (id → base64 of 32+ random bytes) outside the data store; docs/operations.md, \"Audit keys\".");
        }
        foreach (var (id, secret) in integrity.AuditKeys)
        {
            if (!KeyId().IsMatch(id) || id == AuditKeyRing.LegacyKeyId)
            {
                failures.Add($"AscCollab:Integrity:AuditKeys: '{id}' is not a key id (1-32 of a-z, 0-9, '-'; not '{AuditKeyRing.LegacyKeyId}').");
            }
            var bytes = new byte[secret?.Length ?? 0];
            if (secret is null || !Convert.TryFromBase64String(secret, bytes, out var length) || length < IntegrityOptions.MinKeyBytes)
            {
                failures.Add($"AscCollab:Integrity:AuditKeys:{id} must be base64 of at least {IntegrityOptions.MinKeyBytes} bytes.");
            }
        }
        if (integrity.CurrentKeyId is { Length: > 0 } current ? !integrity.AuditKeys.ContainsKey(current) : integrity.AuditKeys.Count > 1)
        {
            failures.Add("AscCollab:Integrity:CurrentKeyId must name one of AuditKeys (required when there are several).");
        }
        if (integrity.CheckInterval < TimeSpan.Zero || (integrity.CheckInterval > TimeSpan.Zero && integrity.CheckInterval < TimeSpan.FromMinutes(1)))
        {
            failures.Add("AscCollab:Integrity:CheckInterval must be zero (off) or at least 00:01:00.");
        }
        if (integrity.TailEntries is < 1 or > 1_000)
        {
            failures.Add("AscCollab:Integrity:TailEntries must be 1-1000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex KeyId();
}
