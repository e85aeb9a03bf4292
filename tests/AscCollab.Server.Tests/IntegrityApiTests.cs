using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AscCollab.Grains;
using AscCollab.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AscCollab.Server.Tests;

/// <summary>Issue 12 §2 through the host on Azurite: the keyed chain's key, the hold and its acknowledgement, the dashboard's incidents, /health.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class IntegrityApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_sign_off_forged_in_storage_holds_the_proposal_degrades_health_and_only_the_secretariat_lifts_it()
    {
        await using var app = new AscCollabApp(azurite);
        var sg = await app.ClientFor("SG", "delegate");
        var th = await app.ClientFor("TH", "delegate");
        var chair = await app.ClientFor(AscCollabApp.Chair, "chair");
        var secretariat = await app.ClientFor("ASEC", "secretariat");
        var id = await sg.Propose("Notification of exercises");
        await chair.Circulate(id);
        await th.SignOff(id, "TH", "Object", 0, "Too early.");
        Assert.True((await sg.GetJson($"/api/proposals/{id}/audit/verify"))["intact"]!.GetValue<bool>());
        Assert.Equal("ok", (await sg.GetJson("/health"))["status"]!.GetValue<string>());

        // Someone with storage access turns TH's objection into a concurrence in the state row; the
        // proposal is then activated again from storage.
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var storage = app.Services.GetRequiredKeyedService<ILogStorage>(DomainRegistration.ProposalStorage);
        var grain = GrainId.Create("proposal", id);
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero).WaitAsync(TestTimeouts.Default);
        var stored = (await storage.ReadStateAsync(grain, "state", default).WaitAsync(TestTimeouts.Default))!;
        var state = JsonSerializer.Deserialize<ProposalState>(stored.Json, StateJson.Options)!;
        state = state with { SignOffs = [.. state.SignOffs.Select(s => s with { Position = Position.Concur, Reason = null })] };
        await storage.WriteStateAsync(grain, "state", JsonSerializer.Serialize(state, StateJson.Options), stored.ETag, [], default).WaitAsync(TestTimeouts.Default);
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero).WaitAsync(TestTimeouts.Default);

        var verified = await th.GetJson($"/api/proposals/{id}/audit/verify");
        Assert.False(verified["intact"]!.GetValue<bool>());
        Assert.Equal("sign_off", verified["check"]!.GetValue<string>());
        Assert.Equal("sign-off TH", verified["location"]!.GetValue<string>());
        Assert.Equal("sign_off_mismatch", verified["hold"]!["kind"]!.GetValue<string>());

        var health = await sg.GetJson("/health");
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.Equal(1, health["openIncidents"]!.GetValue<int>());
        Assert.Contains(id, health["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var incidents = (await chair.GetJson("/api/integrity/incidents")).AsArray();
        var incident = incidents.Single()!;
        Assert.Equal(id, incident["proposalId"]!.GetValue<string>());
        Assert.True(incident["holds"]!.GetValue<bool>());
        await (await th.GetAsync("/api/integrity/incidents").WithTimeout()).Problem(403, "forbidden");

        // Held: readable, not writable; the edit history is not served.
        await sg.GetJson($"/api/proposals/{id}");
        await (await sg.PutAsJsonAsync($"/api/proposals/{id}/sign-offs/SG", new { position = "Concur", revision = 0 }).WithTimeout()).Problem(409, "integrity_hold");
        await (await sg.PostAsJsonAsync($"/api/proposals/{id}/edits", new { baseRevision = 0, op = new object[] { "x" } }).WithTimeout()).Problem(409, "integrity_hold");
        await (await sg.GetAsync($"/api/proposals/{id}/edits?since=0").WithTimeout()).Problem(409, "integrity_hold");
        await (await chair.PostAsJsonAsync($"/api/proposals/{id}/reopen", new { reason = "again" }).WithTimeout()).Problem(409, "integrity_hold");

        // Only the secretariat acknowledges, with a reason; the incident goes through the proposal.
        await (await chair.PostAsJsonAsync($"/api/proposals/{id}/integrity/acknowledge", new { reason = "seen" }).WithTimeout()).Problem(403, "forbidden");
        await (await secretariat.PostAsJsonAsync($"/api/integrity/incidents/{incident["id"]}/acknowledge", new { reason = "seen" }).WithTimeout()).Problem(409, "invalid_transition");
        await (await secretariat.PostAsJsonAsync($"/api/proposals/{id}/integrity/acknowledge", new { reason = "" }).WithTimeout()).Problem(400, "invalid_input");
        await secretariat.PostJson($"/api/proposals/{id}/integrity/acknowledge", new { reason = "TH confirms its objection; TH will give it again" });

        Assert.Equal("ok", (await sg.GetJson("/health"))["status"]!.GetValue<string>());
        Assert.False((await chair.GetJson("/api/integrity/incidents")).AsArray().Single()!["open"]!.GetValue<bool>());
        var audit = (await sg.GetJson($"/api/proposals/{id}/audit")).AsArray();
        Assert.Equal("integrity-acknowledged", audit[^1]!["action"]!.GetValue<string>());
        Assert.Equal("dev", audit[^1]!["keyId"]!.GetValue<string>());
        await th.SignOff(id, "TH", "Object", 0, "Too early, still.");
        Assert.True((await sg.GetJson($"/api/proposals/{id}/audit/verify"))["intact"]!.GetValue<bool>());
    }

    [Fact]
    public void Startup_fails_outside_Development_without_an_audit_key_with_one_line_naming_the_setting()
    {
        var settings = AscCollabApp.ProductionAuth;
        settings.Remove("AscCollab:Integrity:AuditKeys:p1");
        using var app = new AscCollabApp(azurite, environment: "Production", settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var line = StartupChecks.Describe(error, configuration: null);
        Assert.NotNull(line);
        Assert.StartsWith("AscCollab:Integrity:AuditKeys is empty", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task The_Development_key_file_is_created_once_with_mode_0600_and_shared_by_nodes_starting_together()
    {
        // Several rounds, each in a fresh folder: a racy creation (check, then rename) failed about one round in ten.
        for (var round = 0; round < 10; round++)
        {
            var fresh = Path.Combine(Path.GetTempPath(), "asccollab-keys-" + Guid.NewGuid().ToString("N"));
            try
            {
                var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => DevAuditKey.LoadOrCreate(fresh)))).WaitAsync(TestTimeouts.Default);
                Assert.All(created, k => Assert.Equal(created[0], k));
                Assert.Equal([DevAuditKey.FileName], Directory.GetFiles(fresh).Select(Path.GetFileName));
            }
            finally
            {
                Directory.Delete(fresh, recursive: true);
            }
        }
        var folder = Path.Combine(Path.GetTempPath(), "asccollab-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => DevAuditKey.LoadOrCreate(folder)))).WaitAsync(TestTimeouts.Default);
            Assert.All(keys, k => Assert.Equal(keys[0], k));
            Assert.Equal(32, keys[0].Length);
            var file = Path.Combine(folder, DevAuditKey.FileName);
            Assert.Single(Directory.GetFiles(folder));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            Assert.Equal(keys[0], DevAuditKey.LoadOrCreate(folder));

            await using var app = new AscCollabApp(azurite, settings: new Dictionary<string, string?> { [DevAuditKey.FolderSetting] = folder });
            var options = app.Services.GetRequiredService<IOptions<AscCollabOptions>>().Value.Integrity;
            Assert.Equal(Convert.ToBase64String(keys[0]), options.AuditKeys[DevAuditKey.KeyId]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
