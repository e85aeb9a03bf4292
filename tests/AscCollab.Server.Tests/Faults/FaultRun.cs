using System.Text.Json;
using System.Text.Json.Nodes;
using AscCollab.Text;

namespace AscCollab.Server.Tests;

/// <summary>
/// One server process on an Azurite of its own, a circulated proposal and three typing delegations
/// (<see cref="FaultTypist"/>), for the fault tests: the faults are done to these two PIDs only.
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    public const string Text = "The Parties shall notify each other of major exercises.";
    private static readonly string[] Members = ["MY", "TH", "ID"];

    private readonly List<Task> _typing = [];
    private int _acked;
    private volatile bool _stop;

    private FaultRun(OwnAzurite azurite, ServerNode node, string prefix)
    {
        Azurite = azurite;
        Node = node;
        Prefix = prefix;
    }

    public OwnAzurite Azurite { get; }

    /// <summary>The server now (a new process after <see cref="RestartNodeAsync"/>).</summary>
    public ServerNode Node { get; private set; }

    public string Prefix { get; }

    public string ProposalId { get; private set; } = "";

    public List<FaultTypist> Typists { get; } = [];

    /// <summary>What the nodes killed before printed (for failure messages and the loss report).</summary>
    public List<string> EarlierOutput { get; } = [];

    public int Acked => Volatile.Read(ref _acked);

    public static async Task<FaultRun> StartAsync(string title)
    {
        var azurite = await OwnAzurite.StartAsync();
        var prefix = AzuriteFixture.NewTablePrefix();
        ServerNode node;
        try
        {
            node = await ServerNode.StartAsync("server", azurite.ConnectionString, prefix);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
        var run = new FaultRun(azurite, node, prefix);
        using var proposer = node.ClientWith(await node.TokenAsync(Members[0]));
        using var chair = node.ClientWith(await node.TokenAsync(AscCollabApp.Chair, "chair"));
        run.ProposalId = await proposer.Propose(Workflow.Unique(title), Text);
        await chair.Circulate(run.ProposalId);
        for (var i = 0; i < Members.Length; i++)
        {
            run.Typists.Add(new FaultTypist(i, Members[i], run.ProposalId, await node.TokenAsync(Members[i]), () => run.Node));
        }
        return run;
    }

    /// <summary>Every typist types up to <paramref name="edits"/> edits (a bound), until <see cref="StopTypingAsync"/>.</summary>
    public void StartTyping(int edits)
    {
        foreach (var typist in Typists)
        {
            _typing.Add(Task.Run(() => typist.TypeAsync(edits, () => _stop, () => Interlocked.Increment(ref _acked))));
        }
    }

    /// <summary>Waits until <paramref name="more"/> further edits are acknowledged (or typing ended).</summary>
    public async Task WaitForAcksAsync(int more, string what, TimeSpan? timeout = null)
    {
        var target = Acked + more;
        await TestTimeouts.UntilAsync(() => Task.FromResult(Acked >= target || _typing.All(t => t.IsCompleted)), what, timeout ?? TimeSpan.FromSeconds(150));
    }

    public async Task StopTypingAsync()
    {
        _stop = true;
        try
        {
            await Task.WhenAll(_typing).WithTimeout(TimeSpan.FromSeconds(180));
        }
        catch (Exception ex)
        {
            Assert.Fail($"typing failed: {ex}{Environment.NewLine}{Node.Output()}");
        }
    }

    /// <summary>SIGKILL of the server process.</summary>
    public void KillNode()
    {
        Node.Kill();
        EarlierOutput.Add(Node.Output());
    }

    /// <summary>A new server process on the same ports (it replaces the dead silo at once).</summary>
    public async Task RestartNodeAsync()
    {
        var ports = Node.Ports;
        await Node.DisposeAsync();
        Node = await ServerNode.StartAsync("server (restarted)", Azurite.ConnectionString, Prefix, ports);
    }

    /// <summary>
    /// Every acknowledged edit is in the stored log exactly once, at the revision acknowledged (so no
    /// acknowledged revision holds other content), and every acknowledged sign-off is in the audit trail
    /// exactly once. With <paramref name="lossDetected"/> an acknowledged edit or sign-off may be missing
    /// only if its typist was told revision_lost for a revision at or after it; answers the number missing.
    /// </summary>
    public async Task<int> VerifyAsync(bool lossDetected = false)
    {
        using var reader = Node.ClientWith(await Node.TokenAsync("VN"));
        JsonArray log = null!, audit = null!;
        await Workflow.Eventually(async () =>
        {
            using var response = await reader.GetAsync($"/api/proposals/{ProposalId}/edits?since=0").WithTimeout();
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
            log = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            return true;
        }, "the edit log is readable after the faults", TimeSpan.FromSeconds(60));
        audit = (await reader.GetJson($"/api/proposals/{ProposalId}/audit")).AsArray();

        var edits = log.Select(e => (Revision: e!["revision"]!.GetValue<long>(), Op: JsonSerializer.Deserialize<TextOperation>(e["op"]!.ToJsonString())!)).ToList();
        Assert.Equal(Enumerable.Range(1, edits.Count).Select(r => (long)r), edits.Select(e => e.Revision));
        var inserted = edits.SelectMany(e => e.Op.Components.OfType<Insert>().Select(i => (e.Revision, i.Text))).ToList();
        var signOffs = audit.Where(e => e!["action"]!.GetValue<string>() == "sign-off").Select(e => (Member: e!["member"]!.GetValue<string>(), Detail: e["detail"]!.GetValue<string>())).ToList();
        var missing = 0;
        foreach (var typist in Typists)
        {
            var lostFrom = typist.Lost is null ? long.MaxValue : typist.Acknowledged.Count > 0 ? typist.Acknowledged[^1].Revision : 0;
            foreach (var (text, revision) in typist.Acknowledged)
            {
                var applied = inserted.Where(i => i.Text == text).ToList();
                Assert.True(applied.Count <= 1, $"{text} (acknowledged at revision {revision}) is in the log {applied.Count} times");
                if (applied.Count == 1)
                {
                    Assert.True(applied[0].Revision == revision, $"{text} was acknowledged at revision {revision} but is stored at {applied[0].Revision}");
                    continue;
                }
                missing++;
                Assert.True(lossDetected && revision <= lostFrom,
                    $"{text}, acknowledged at revision {revision} to {typist.Member}, is not stored and {typist.Member} was not told (lost: {typist.Lost ?? "no"}){Environment.NewLine}{Node.Output()}");
            }
            foreach (var revision in typist.SignedOff)
            {
                var stored = signOffs.Count(s => s.Member == typist.Member && s.Detail.Contains($"on revision {revision},", StringComparison.Ordinal));
                Assert.True(stored <= 1, $"{typist.Member}'s sign-off on revision {revision} is in the audit trail {stored} times");
                if (stored == 0)
                {
                    missing++;
                    Assert.True(lossDetected && revision <= lostFrom, $"{typist.Member}'s acknowledged sign-off on revision {revision} is not stored and it was not told");
                }
            }
        }

        // The stored text is the replay of the stored log, and the audit chain is intact.
        var proposal = await reader.Proposal(ProposalId);
        Assert.Equal(edits.Aggregate(Text, (text, edit) => edit.Op.Apply(text)), proposal["text"]!.GetValue<string>());
        Assert.True((await reader.GetJson($"/api/proposals/{ProposalId}/audit/verify"))["intact"]!.GetValue<bool>());
        return missing;
    }

    public async ValueTask DisposeAsync()
    {
        _stop = true;
        foreach (var typist in Typists)
        {
            await typist.DisposeAsync();
        }
        await Node.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
