using Xunit.Abstractions;
using System.Text.Json;
using AscCollab.Text;

namespace AscCollab.Grains.Tests;

/// <summary>
/// Issue 12 §2: someone who can write storage but has no audit key. The keyed chain, the op rows, the
/// replay and the sign-offs are checked on activation, on request and in the background; a failure puts
/// the proposal on an integrity hold that only the secretariat lifts.
/// </summary>
public sealed class IntegrityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rewriting_the_whole_chain_and_the_state_head_without_the_key_is_detected_after_a_restart()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"));
            await Drafts.Circulate(host, id);
            await Drafts.Sign(host, id, "TH", Position.Object, "Too early.");
            Assert.True((await host.Proposal(id).VerifyAudit(Callers.Chair).Within()).Intact);
        }

        // The attack of the issue: TH's objection becomes a concurrence in the state and in the audit
        // entry, and every hash from there on and the state's head are recomputed (plain SHA-256: no key).
        var grain = GrainId.Create("proposal", id);
        await Forge.RewriteChain(storage, grain,
            entry => entry.Action == "sign-off" ? entry with { Detail = entry.Detail.Replace("Object", "Concur", StringComparison.Ordinal).Replace(", reason: Too early.", "", StringComparison.Ordinal) } : entry,
            state => state with { SignOffs = [.. state.SignOffs.Select(s => s with { Position = Position.Concur, Reason = null })] });

        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var proposal = host.Proposal(id);
            var snapshot = await proposal.Open(Callers.Chair).Within(); // activation: the tail check
            Assert.Equal(Position.Concur, snapshot.SignOffs.Single(s => s.Member == "TH").Position);
            var verified = await proposal.VerifyAudit(Callers.Chair).Within();
            Assert.False(verified.Intact);
            Assert.Equal("audit", verified.Check);
            Assert.Equal(1, verified.FirstBrokenSequence);
            Assert.NotNull(verified.Hold);
            Assert.Equal(IntegrityIncidentKinds.ChainBroken, verified.Hold!.Kind);
            Assert.Equal("activation", (await Registry(host).List(Callers.Secretariat).Within()).Single().Reporter);
            Assert.Equal([id], (await Registry(host).Status().Within()).ProposalsOnHold);
            Assert.Contains(host.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));

            var refused = await Assert.ThrowsAsync<DomainException>(() => Drafts.Sign(host, id, "VN", Position.Concur));
            Assert.Equal(DomainErrorCodes.IntegrityHold, refused.Code);
        }
    }

    [Fact]
    public async Task Keyed_hashes_made_with_a_guessed_key_or_without_the_key_id_do_not_verify()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"));
            await Drafts.Circulate(host, id);
        }
        var guessed = new AuditKey("t1", new byte[32]);
        await Forge.RewriteChain(storage, GrainId.Create("proposal", id), e => e with { Detail = e.Detail + " " }, s => s, guessed);
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var verified = await host.Proposal(id).VerifyAudit(Callers.Secretariat).Within();
            Assert.False(verified.Intact);
            Assert.Contains("keyed hash (key t1)", verified.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_forged_op_row_is_found_on_activation_and_its_edits_are_no_longer_served()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"));
            await Drafts.Append(host, id, "PH", 0, CodePoints.Length(Drafts.Text), " Promptly.");
            await Drafts.Append(host, id, "TH", 1, 0, "Art. 1. ");
        }
        var grain = GrainId.Create("proposal", id);
        await Forge.RewriteOp(storage, grain, 1, " Whenever convenient.");

        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var proposal = host.Proposal(id);
            var refused = await Assert.ThrowsAsync<DomainException>(() => proposal.GetEditsSince(Callers.Delegate("SG"), 0));
            Assert.Equal(DomainErrorCodes.IntegrityHold, refused.Code);
            refused = await Assert.ThrowsAsync<DomainException>(() => proposal.GetTextAt(Callers.Delegate("SG"), 1));
            Assert.Equal(DomainErrorCodes.IntegrityHold, refused.Code);
            var verified = await proposal.VerifyAudit(Callers.Chair).Within();
            Assert.False(verified.Intact);
            Assert.Equal("op_log", verified.Check);
            Assert.Equal("op 1", verified.Location);
            Assert.Equal(IntegrityIncidentKinds.OpLogMismatch, verified.Hold!.Kind);
            // The text is rebuilt from the rows (its text row of revision 0 and the ops after it), so it
            // replays as stored: the keyed audit chain is what tells the op from the one committed.
            Assert.DoesNotContain(verified.Problems, p => p.Check == "replay");
            Assert.EndsWith(" Whenever convenient.", (await proposal.Open(Callers.Delegate("SG")).Within()).Text, StringComparison.Ordinal);
            refused = await Assert.ThrowsAsync<DomainException>(() => Drafts.Append(host, id, "SG", 2, 0, "x"));
            Assert.Equal(DomainErrorCodes.IntegrityHold, refused.Code);
        }
    }

    [Fact]
    public async Task Text_that_replaying_the_op_log_does_not_give_is_found_by_verify()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"));
            await Drafts.Append(host, id, "PH", 0, 0, "Art. 1. ");
        }
        await Forge.RewriteText(storage, GrainId.Create("proposal", id), t => t.Replace("peaceful", "any", StringComparison.Ordinal));
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var verified = await host.Proposal(id).VerifyAudit(Callers.Delegate("VN")).Within();
            Assert.False(verified.Intact);
            Assert.Equal("replay", verified.Check);
            Assert.Equal("revision 1", verified.Location);
            Assert.Equal(2, verified.OpsChecked);
            Assert.Equal(IntegrityIncidentKinds.ReplayMismatch, (await Registry(host).List(Callers.Chair).Within()).Single().Kind);
        }
    }

    [Fact]
    public async Task A_sign_off_changed_in_the_state_is_found_and_the_secretariat_alone_lifts_the_hold()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"));
            await Drafts.Circulate(host, id);
            await Drafts.Sign(host, id, "TH", Position.Object, "Too early.");
            await Drafts.Sign(host, id, "PH", Position.Concur);
        }
        await Forge.RewriteState(storage, GrainId.Create("proposal", id),
            s => s with { SignOffs = [.. s.SignOffs.Select(r => r.Member == "TH" ? r with { Position = Position.Concur, Reason = null } : r)] });

        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var proposal = host.Proposal(id);
            var verified = await proposal.VerifyAudit(Callers.Chair).Within();
            Assert.False(verified.Intact);
            Assert.Equal("sign_off", verified.Check);
            Assert.Equal("sign-off TH", verified.Location);
            Assert.Equal(IntegrityIncidentKinds.SignOffMismatch, verified.Hold!.Kind);

            // Held: every write refused with the code, reads still served.
            foreach (var write in new Func<Task>[]
            {
                () => Drafts.Sign(host, id, "VN", Position.Concur),
                () => proposal.WithdrawSignOff(Callers.Delegate("PH"), "PH"),
                () => proposal.Reopen(Callers.Chair, "again"),
                () => proposal.Withdraw(Callers.Delegate("SG"), "no"),
                () => proposal.SetDeadline(Callers.Chair, GrainsHost.Start.AddDays(30)),
            })
            {
                Assert.Equal(DomainErrorCodes.IntegrityHold, (await Assert.ThrowsAsync<DomainException>(write)).Code);
            }
            Assert.Equal(ProposalStatus.Blocked, (await proposal.Open(Callers.Delegate("VN")).Within()).Status);

            foreach (var caller in new[] { Callers.Chair, Callers.Delegate("SG") })
            {
                Assert.Equal(DomainErrorCodes.Forbidden, (await Assert.ThrowsAsync<DomainException>(() => proposal.AcknowledgeIntegrity(caller, "seen"))).Code);
            }
            Assert.Equal(DomainErrorCodes.InvalidInput, (await Assert.ThrowsAsync<DomainException>(() => proposal.AcknowledgeIntegrity(Callers.Secretariat, ""))).Code);

            await proposal.AcknowledgeIntegrity(Callers.Secretariat, "TH confirmed in writing that it objects; state to be corrected by TH").Within();
            var audit = await proposal.GetAudit(Callers.Chair).Within();
            Assert.Equal(["integrity-hold", "integrity-acknowledged"], audit.TakeLast(2).Select(e => e.Action));
            Assert.Equal("ASEC", audit[^1].Member);
            Assert.Equal(0, (await Registry(host).Status().Within()).Open);

            // The known break is sealed as found; work goes on and verifies; a new forgery is caught again.
            var after = await proposal.VerifyAudit(Callers.Chair).Within();
            Assert.True(after.Intact, after.Problem);
            Assert.Contains(after.Problems, p => p.Check == "sign_off" && p.Acknowledged);
            await Drafts.Sign(host, id, "TH", Position.Object, "Still too early.");
            await Drafts.Sign(host, id, "VN", Position.Abstain);
            Assert.True((await proposal.VerifyAudit(Callers.Chair).Within()).Intact);
        }
        await Forge.RewriteState(storage, GrainId.Create("proposal", id),
            s => s with { SignOffs = [.. s.SignOffs.Select(r => r.Member == "VN" ? r with { Position = Position.Concur } : r)] });
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            var verified = await host.Proposal(id).VerifyAudit(Callers.Chair).Within();
            Assert.False(verified.Intact);
            Assert.Equal("sign-off VN", verified.Location);
        }
    }

    [Fact]
    public async Task After_a_key_rotation_old_entries_verify_with_the_old_key_and_new_ones_use_the_new_key()
    {
        var storage = new TestStorage();
        string id;
        await using (var host = await GrainsHost.StartAsync(storage: storage))
        {
            id = await Drafts.Create(host, Callers.Delegate("SG"));
            await Drafts.Append(host, id, "PH", 0, 0, "Art. 1. ");
        }
        var rotated = new Dictionary<string, string?>
        {
            ["AscCollab:Integrity:AuditKeys:t1"] = TestKeys.First,
            ["AscCollab:Integrity:AuditKeys:t2"] = TestKeys.Second,
            ["AscCollab:Integrity:CurrentKeyId"] = "t2",
        };
        await using (var host = await GrainsHost.StartAsync(storage: storage, configuration: rotated))
        {
            await Drafts.Append(host, id, "TH", 1, 0, "Preamble. ");
            var verified = await host.Proposal(id).VerifyAudit(Callers.Chair).Within();
            Assert.True(verified.Intact, verified.Problem);
            Assert.Equal(["t1", "t2"], verified.KeyIds);
            Assert.Equal("t2", (await host.Proposal(id).GetAudit(Callers.Chair).Within())[^1].KeyId);
        }
        // Retiring the old key too early: its entries are reported, not silently accepted.
        await using (var host = await GrainsHost.StartAsync(storage: storage, configuration: new Dictionary<string, string?> { ["AscCollab:Integrity:AuditKeys:t2"] = TestKeys.Second }))
        {
            var verified = await host.Proposal(id).VerifyAudit(Callers.Chair).Within();
            Assert.False(verified.Intact);
            Assert.Contains("'t1', which is not configured", verified.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_background_check_finds_a_break_without_any_request()
    {
        await using var host = await GrainsHost.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["AscCollab:Integrity:AuditKeys:t1"] = TestKeys.First,
            ["AscCollab:Integrity:CheckInterval"] = "00:01:00",
        });
        var id = await Drafts.Create(host, Callers.Delegate("SG"));
        await Drafts.Circulate(host, id);
        await Drafts.Sign(host, id, "TH", Position.Object, "Too early.");
        var grain = GrainId.Create("proposal", id);
        // Older than the tail the activation checks, so only the full check can find it.
        var rows = await host.Storage.ReadLogAsync(grain, ProposalLog.AuditStream, 1, 1, default).Within();
        var first = ProposalLog.ReadAudit(rows[0])[0];
        host.Storage.Tamper(grain, ProposalLog.AuditStream, 1, JsonSerializer.Serialize(first with { Member = "PH" }, StateJson.Options));

        await Timeouts.Eventually(async () =>
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            return (await Registry(host).Status()).ProposalsOnHold.Contains(id);
        }, "the sweep finds the break and holds the proposal");
        var incident = (await Registry(host).List(Callers.Chair).Within()).Single();
        Assert.Equal("background-check", incident.Reporter);
        Assert.Equal("audit 1", incident.Location);
        var refused = await Assert.ThrowsAsync<DomainException>(() => Drafts.Sign(host, id, "PH", Position.Concur));
        Assert.Equal(DomainErrorCodes.IntegrityHold, refused.Code);
        await Timeouts.Eventually(() => Task.FromResult(host.EventsOf<IntegrityIncidentChanged>().Any(e => e.Incident.ProposalId == id)), "the incident is pushed to the dashboard");
    }

    [Fact]
    public async Task Verifying_a_proposal_of_ten_thousand_edits_checks_every_op()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
        var proposal = host.Proposal(id);
        var length = 0;
        for (var revision = 0; revision < 10_000; revision++)
        {
            await proposal.SubmitEdit(Callers.Delegate("SG"), revision, TextOperation.Insert(length, "x")).Within();
            length++;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var verified = await proposal.VerifyAudit(Callers.Chair).Within();
        // A figure for docs/storage.md, not an assertion.
        output.WriteLine($"verify of 10,000 edits: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        Assert.True(verified.Intact, verified.Problem);
        Assert.Equal(10_001, verified.OpsChecked);
        Assert.Equal(10_001, verified.Entries);
    }

    private static IIntegrityGrain Registry(GrainsHost host) => host.Factory.GetGrain<IIntegrityGrain>(IIntegrityGrain.Key);
}

/// <summary>What someone with write access to storage, but not the audit key, can do.</summary>
internal static class Forge
{
    private const string StateName = "state";

    /// <summary>Changes entries, then recomputes every hash from the first changed one (plain SHA-256, or <paramref name="guessedKey"/>) and the state's head.</summary>
    public static async Task RewriteChain(TestStorage storage, GrainId grain, Func<AuditEntry, AuditEntry> change, Func<ProposalState, ProposalState> state, AuditKey? guessedKey = null)
    {
        var rows = await storage.ReadLogAsync(grain, ProposalLog.AuditStream, 0, long.MaxValue, default);
        var (previous, sequence) = (AuditChain.Genesis, 0L);
        foreach (var row in rows)
        {
            var entries = new List<AuditEntry>();
            foreach (var entry in ProposalLog.ReadAudit(row))
            {
                var changed = change(entry) with { PrevHash = previous };
                var rehashed = guessedKey is null
                    ? AuditChain.NextUnkeyed(changed.Sequence - 1, previous, changed.At, new Caller(changed.Member, changed.Role), changed.Action, changed.Detail, changed.Revision)
                    : AuditChain.Next(guessedKey, changed.Sequence - 1, previous, changed.At, new Caller(changed.Member, changed.Role), changed.Action, changed.Detail, changed.Revision);
                entries.Add(rehashed);
                (previous, sequence) = (rehashed.Hash, rehashed.Sequence);
            }
            storage.Tamper(grain, ProposalLog.AuditStream, row.Sequence,
                entries.Count == 1 ? JsonSerializer.Serialize(entries[0], StateJson.Options) : JsonSerializer.Serialize(entries, StateJson.Options));
        }
        await RewriteState(storage, grain, s => state(s) with { AuditHead = previous, AuditSequence = sequence });
    }

    /// <summary>Replaces the inserted text of the op at <paramref name="revision"/> (a single-record row).</summary>
    public static async Task RewriteOp(TestStorage storage, GrainId grain, long revision, string inserted)
    {
        var rows = await storage.ReadLogAsync(grain, ProposalLog.OpStream, revision, revision, default);
        var row = Assert.Single(rows);
        using var document = JsonDocument.Parse(row.Json);
        var op = document.RootElement.GetProperty("op").EnumerateArray().ToList();
        var json = row.Json.Replace(op.Single(c => c.ValueKind == JsonValueKind.String).GetRawText(), JsonSerializer.Serialize(inserted), StringComparison.Ordinal);
        Assert.NotEqual(row.Json, json);
        storage.Tamper(grain, ProposalLog.OpStream, row.Sequence, json);
    }

    public static async Task RewriteState(TestStorage storage, GrainId grain, Func<ProposalState, ProposalState> change)
    {
        var stored = await storage.ReadStateAsync(grain, StateName, default) ?? throw new InvalidOperationException("No state row.");
        var state = JsonSerializer.Deserialize<ProposalState>(stored.Json, StateJson.Options)!;
        await storage.WriteStateAsync(grain, StateName, JsonSerializer.Serialize(change(state), StateJson.Options), stored.ETag, [], default);
    }

    /// <summary>Changes the text of the state's text row (the text the proposal is rebuilt from) and its length in the state.</summary>
    public static async Task RewriteText(TestStorage storage, GrainId grain, Func<string, string> change)
    {
        var stored = await storage.ReadStateAsync(grain, StateName, default) ?? throw new InvalidOperationException("No state row.");
        var at = JsonSerializer.Deserialize<ProposalState>(stored.Json, StateJson.Options)!.TextAt ?? throw new InvalidOperationException("The state has no text row.");
        var row = Assert.Single(await storage.ReadLogAsync(grain, ProposalLog.TextStream, at, at, default));
        var changed = change(ProposalLog.ReadText(row));
        Assert.NotEqual(ProposalLog.ReadText(row), changed);
        storage.Tamper(grain, ProposalLog.TextStream, at, ProposalLog.TextRow(at, changed).Json);
    }
}
