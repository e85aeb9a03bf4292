using System.Security.Cryptography;

namespace AscCollab.Testing;

/// <summary>
/// Keys for test hosts, never the developer's: the Development key folder (<c>AscCollab:Keys:Folder</c>)
/// of every test server, shared by the test processes (keys in it are created on first use), and
/// fresh receipt signing keys for hosts outside Development.
/// </summary>
public static class TestKeys
{
    /// <summary>The key folder of test servers: outside the clone, so tests never touch its <c>.data</c>.</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "asccollab-test-keys");

    /// <summary>A new EC P-256 private key in PEM (PKCS#8), as production configuration holds one.</summary>
    public static string NewReceiptKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The public half of <paramref name="privatePem"/> in PEM: a retired key that still verifies.</summary>
    public static string PublicPemOf(string privatePem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privatePem);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
