using System.Diagnostics;

namespace AscCollab.Server.Tests;

/// <summary>Where receipt keys come from: configuration in production, a key file in Development; the offline check of docs/receipts.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ReceiptKeyTests(AzuriteFixture azurite)
{
    [Fact]
    public void Outside_Development_a_node_without_a_receipt_key_does_not_start_and_says_which_setting()
    {
        var settings = AscCollabApp.ProductionAuth;
        settings.Remove("AscCollab:Receipts:SigningKeys:0:Kid");
        settings.Remove("AscCollab:Receipts:SigningKeys:0:Pem");
        using var app = new AscCollabApp(azurite, environment: "Production", settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var line = StartupChecks.Describe(error, configuration: null);
        Assert.NotNull(line);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("no receipt signing key", line, StringComparison.Ordinal);
        Assert.Contains("AscCollab:Receipts:SigningKeys:0:Pem", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad kid!", "-", "Kid must be")]
    [InlineData("k1", "not a pem", "is not an EC key in PEM")]
    [InlineData("k1", "rsa", "is not an EC key in PEM")]
    [InlineData("k1", "public", "only public keys")]
    public void A_receipt_key_that_cannot_sign_stops_the_start_with_one_line(string kid, string pem, string expected)
    {
        var settings = AscCollabApp.ProductionAuth;
        settings["AscCollab:Receipts:SigningKeys:0:Kid"] = kid;
        settings["AscCollab:Receipts:SigningKeys:0:Pem"] = pem switch
        {
            "-" => TestKeys.NewReceiptKeyPem(),
            "rsa" => System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem(),
            "public" => TestKeys.PublicPemOf(TestKeys.NewReceiptKeyPem()),
            _ => pem,
        };
        using var app = new AscCollabApp(azurite, environment: "Production", settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var line = StartupChecks.Describe(error, configuration: null);
        Assert.NotNull(line);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        // Never any key material in the message.
        Assert.DoesNotContain("MI", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_nodes_sharing_the_key_folder_sign_with_the_key_file_made_on_first_start()
    {
        var folder = Directory.CreateTempSubdirectory("asccollab-keys-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["AscCollab:Keys:Folder"] = folder };
            await using var one = new AscCollabApp(azurite, settings: settings);
            await using var two = new AscCollabApp(azurite, settings: settings);
            await using var elsewhere = new AscCollabApp(azurite);

            var first = await (await one.ClientFor("MY")).GetJson("/api/receipts/jwks");
            var second = await (await two.ClientFor("MY")).GetJson("/api/receipts/jwks");
            var other = await (await elsewhere.ClientFor("MY")).GetJson("/api/receipts/jwks");

            var file = Path.Combine(folder, "receipt-signing-key.pem");
            Assert.True(File.Exists(file));
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            Assert.Equal(first.ToJsonString(), second.ToJsonString());
            Assert.NotEqual(first["keys"]![0]!.Str("kid"), other["keys"]![0]!.Str("kid"));
            Assert.StartsWith("dev-", first["keys"]![0]!.Str("kid"), StringComparison.Ordinal);
            // Public only: no private parameter is published.
            Assert.Null(first["keys"]![0]!["d"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_JWKS_is_public_and_the_documented_offline_check_accepts_a_receipt_and_refuses_a_changed_one()
    {
        await using var app = new AscCollabApp(azurite);
        var my = await app.ClientFor("MY");
        var text = "The Parties shall notify each other of major exercises — 21 days ahead.";
        var id = await my.Propose(Workflow.Unique("Notification of exercises"), text);
        await (await app.ClientFor(AscCollabApp.Chair, "chair")).Circulate(id);
        var receipt = (await my.SignOff(id, "MY", "Concur", 0)).Str("receipt");
        var anonymous = app.CreateClient();
        var jwks = await anonymous.GetAsync("/api/receipts/jwks").WithTimeout();
        Assert.Contains("max-age", jwks.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);

        var folder = Directory.CreateTempSubdirectory("asccollab-receipt-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "receipt.jws"), receipt);
            await File.WriteAllTextAsync(Path.Combine(folder, "jwks.json"), await jwks.Content.ReadAsStringAsync());
            await File.WriteAllTextAsync(Path.Combine(folder, "text.txt"), text);
            await File.WriteAllTextAsync(Path.Combine(folder, "other.txt"), text + " ");
            var parts = receipt.Split('.');
            var changed = ReceiptTools.Claims(receipt);
            changed["revision"] = 7;
            await File.WriteAllTextAsync(Path.Combine(folder, "changed.jws"),
                $"{parts[0]}.{ReceiptTools.ToBase64Url(System.Text.Encoding.UTF8.GetBytes(changed.ToJsonString()))}.{parts[2]}");

            var valid = await Node(folder, "receipt.jws", "jwks.json", "text.txt");
            Assert.True(valid.Code == 0, valid.Output);
            Assert.Contains($"valid: MY SignOff (Concur) on {id} revision 0", valid.Output, StringComparison.Ordinal);

            var forged = await Node(folder, "changed.jws", "jwks.json");
            Assert.True(forged.Code == 1, forged.Output);
            Assert.Contains("NOT VALID: the signature does not match", forged.Output, StringComparison.Ordinal);

            var otherText = await Node(folder, "receipt.jws", "jwks.json", "other.txt");
            Assert.True(otherText.Code == 1, otherText.Output);
            Assert.Contains("NOT VALID: the text's SHA-256", otherText.Output, StringComparison.Ordinal);

            // The example in docs/receipts.md, as documented.
            var example = Path.Combine(RepoPaths.Root, "docs", "receipts", "example");
            var documented = await Node(example, "receipt.jws", "jwks.json", "text.txt");
            Assert.True(documented.Code == 0, documented.Output);
            Assert.Contains("valid: MY SignOff (Concur) on p-zrp7lmf6ok revision 0, audit entry 4", documented.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_receipt_routes_are_in_the_OpenAPI_document()
    {
        await using var app = new AscCollabApp(azurite);

        var paths = (await app.CreateClient().GetJson("/openapi/v1.json"))["paths"]!.AsObject().Select(p => p.Key).ToHashSet();

        Assert.Superset(new HashSet<string> { "/api/receipts/jwks", "/api/receipts/verify", "/api/proposals/{id}/receipts" }, paths);
    }

    private static async Task<(int Code, string Output)> Node(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "docs", "receipts", "verify-receipt.mjs"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
