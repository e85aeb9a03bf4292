using System.Security.Cryptography;
using AscCollab.Grains;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// Development only: when no audit key is configured, the key comes from a file in the key folder
/// (<c>AscCollab:Keys:Folder</c>; default <c>.data/keys</c> under the working directory, beside — never
/// inside — Azurite's data), created on first run with mode 0600. Nodes on one machine share the folder,
/// so they share the key. Outside Development nothing is read: no configured key stops the start.
/// </summary>
internal sealed class DevAuditKey(IConfiguration configuration) : IPostConfigureOptions<AscCollabOptions>
{
    public const string FolderSetting = KeyFiles.FolderSetting;
    public const string KeyId = "dev";
    public const string FileName = "audit-dev.key";

    public void PostConfigure(string? name, AscCollabOptions options)
    {
        if (options.Integrity.AuditKeys.Count > 0)
        {
            return;
        }
        options.Integrity.AuditKeys[KeyId] = Convert.ToBase64String(LoadOrCreate(Folder(configuration)));
        options.Integrity.CurrentKeyId ??= KeyId;
    }

    public static string Folder(IConfiguration configuration) => KeyFiles.Folder(configuration);

    /// <summary>The key file's 32 bytes; created once (<see cref="KeyFiles.CreateOnce"/>), so nodes starting at once agree.</summary>
    public static byte[] LoadOrCreate(string folder)
    {
        var path = Path.Combine(folder, FileName);
        KeyFiles.CreateOnce(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(IntegrityOptions.MinKeyBytes)));
        var text = File.ReadAllText(path).Trim();
        var key = new byte[text.Length];
        return Convert.TryFromBase64String(text, key, out var length) && length >= IntegrityOptions.MinKeyBytes
            ? key[..length]
            : throw new StartupException($"{path} (the Development audit key, {FolderSetting}) is not base64 of {IntegrityOptions.MinKeyBytes}+ bytes; delete it only if this data store holds nothing to keep (its audit trails will no longer verify).");
    }
}

internal static class DevAuditKeyRegistration
{
    /// <summary>In Development, the audit key from the key folder when none is configured.</summary>
    public static WebApplicationBuilder AddDevAuditKey(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddSingleton<IPostConfigureOptions<AscCollabOptions>, DevAuditKey>();
        }
        return builder;
    }
}
