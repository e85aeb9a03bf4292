using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AscCollab.Server;

/// <summary>
/// Builds the <see cref="ReceiptKeyRing"/> as the host is built. Keys come from configuration
/// (<c>AscCollab:Receipts:SigningKeys</c>: a kid and an EC P-256 PEM each, inline or in a file;
/// <c>AscCollab:Receipts:CurrentKid</c> names the one that signs, by default the last with a private
/// part). Without any, Development keeps one key in a file of the key folder
/// (<c>AscCollab:Keys:Folder</c>), created on first start, so every node sharing the folder signs
/// with the same key; anywhere else the start stops with one line naming the setting.
/// Keys never go into the data store or the repository.
/// </summary>
internal static partial class ReceiptKeyLoader
{
    public const string Section = "AscCollab:Receipts";
    public const string KeysSection = Section + ":SigningKeys";
    public const string CurrentKidSetting = Section + ":CurrentKid";
    public const string FolderSetting = KeyFiles.FolderSetting;
    public const string DevelopmentKeyFile = "receipt-signing-key.pem";

    public static ReceiptKeyRing Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetSection(KeysSection).GetChildren().ToList();
        if (configured.Count > 0)
        {
            return FromConfiguration(configured, configuration[CurrentKidSetting], environment.ContentRootPath);
        }
        if (!environment.IsDevelopment())
        {
            throw new StartupException(
                $"no receipt signing key: set {KeysSection}:0:Kid and {KeysSection}:0:Pem (or :PemFile), an EC P-256 private key in PEM (docs/receipts.md)");
        }
        return FromDevelopmentFolder(KeyFolder(configuration));
    }

    /// <summary>
    /// The folder of keys kept outside the data store: <c>AscCollab:Keys:Folder</c>, else <c>.data/keys</c>
    /// under the working directory (the convention of the audit key's folder; <c>./scripts/run-server.sh</c>
    /// sets it to the <c>keys</c> folder beside Azurite's data).
    /// </summary>
    public static string KeyFolder(IConfiguration configuration) => KeyFiles.Folder(configuration);

    private static ReceiptKeyRing FromConfiguration(List<IConfigurationSection> entries, string? currentKid, string contentRoot)
    {
        var keys = new List<ReceiptKey>();
        foreach (var entry in entries)
        {
            var where = $"{KeysSection}:{entry.Key}";
            var kid = entry["Kid"];
            if (kid is null || !KidShape().IsMatch(kid))
            {
                throw new StartupException($"{where}:Kid must be 1 to 64 of A-Z a-z 0-9 . _ - (it names the key in every receipt it signs)");
            }
            if (keys.Any(k => k.Kid == kid))
            {
                throw new StartupException($"{where}:Kid '{kid}' is listed twice");
            }
            var pem = (entry["Pem"], entry["PemFile"]) switch
            {
                ({ Length: > 0 } inline, null or "") => inline,
                (null or "", { Length: > 0 } file) => ReadPemFile(where, Path.GetFullPath(file, contentRoot)),
                _ => throw new StartupException($"{where} needs exactly one of Pem and PemFile"),
            };
            keys.Add(Parse(where, kid, pem));
        }
        ReceiptKey current;
        if (currentKid is { Length: > 0 })
        {
            current = keys.FirstOrDefault(k => k.Kid == currentKid)
                ?? throw new StartupException($"{CurrentKidSetting} '{currentKid}' is not among {KeysSection}");
            if (!current.CanSign)
            {
                throw new StartupException($"{CurrentKidSetting} '{currentKid}' names a public key: the current key needs its private part");
            }
        }
        else
        {
            current = keys.LastOrDefault(k => k.CanSign)
                ?? throw new StartupException($"{KeysSection} holds only public keys: the key that signs needs its private part");
        }
        return new ReceiptKeyRing(keys, current, $"{KeysSection} ({keys.Count} key(s))");
    }

    private static ReceiptKey Parse(string where, string kid, string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            var fields = PemEncoding.Find(pem);
            var label = pem[fields.Label];
            ecdsa.ImportFromPem(pem);
            if (ecdsa.KeySize != 256 || ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new StartupException($"{where} is not a P-256 key (receipts are ES256)");
            }
            return new ReceiptKey(kid, ecdsa, canSign: label.Contains("PRIVATE", StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new StartupException($"{where} is not an EC key in PEM (PRIVATE KEY, EC PRIVATE KEY or PUBLIC KEY): {ex.Message.Split('\n')[0]}", ex);
        }
    }

    private static string ReadPemFile(string where, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{where}:PemFile '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The Development key, created on first start (<see cref="KeyFiles.CreateOnce"/>: nodes starting
    /// at once agree on one key).
    /// </summary>
    private static ReceiptKeyRing FromDevelopmentFolder(string folder)
    {
        var path = Path.Combine(folder, DevelopmentKeyFile);
        try
        {
            Create(path);
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(File.ReadAllText(path));
            var key = new ReceiptKey("dev-" + ReceiptKey.Thumbprint(ecdsa)[..16], ecdsa, canSign: true);
            return new ReceiptKeyRing([key], key, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            throw new StartupException(
                $"the Development receipt key '{path}' cannot be read or created ({ex.Message.Split('\n')[0]}); delete it to have a new one made, or set {FolderSetting}", ex);
        }
    }

    private static void Create(string path) => KeyFiles.CreateOnce(path, () =>
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportPkcs8PrivateKeyPem();
    });

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KidShape();
}
