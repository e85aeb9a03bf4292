using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AscCollab.Server.Tests;

/// <summary>Two <see cref="ServerNode"/> processes on the same tables: one cluster. Disposing ends both.</summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    public static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(60);

    private TwoNodes(ServerNode a, ServerNode b)
    {
        A = a;
        B = b;
    }

    public ServerNode A { get; }

    public ServerNode B { get; }

    /// <summary>Starts both nodes at once and waits until each sees two active silos.</summary>
    public static async Task<TwoNodes> StartAsync(AzuriteFixture azurite)
    {
        var prefix = AzuriteFixture.NewTablePrefix();
        var a = ServerNode.StartAsync("node A", azurite.ConnectionString, prefix);
        var b = ServerNode.StartAsync("node B", azurite.ConnectionString, prefix);
        try
        {
            await Task.WhenAll(a, b);
        }
        catch
        {
            foreach (var started in new[] { a, b }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }
            throw;
        }
        var nodes = new TwoNodes(a.Result, b.Result);
        try
        {
            await WaitForSilosAsync(2, nodes.A, nodes.B);
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
        return nodes;
    }

    /// <summary>Adds <paramref name="b"/> on <paramref name="a"/>'s tables and waits until both see two silos.</summary>
    public static async Task<TwoNodes> JoinAsync(ServerNode a, AzuriteFixture azurite)
    {
        var b = await ServerNode.StartAsync("node B", azurite.ConnectionString, a.TablePrefix);
        var nodes = new TwoNodes(a, b);
        await WaitForSilosAsync(2, a, b);
        return nodes;
    }

    /// <summary>Polls <c>/health</c> on each node until every one answers 200 with <c>silos</c> == <paramref name="silos"/>.</summary>
    public static async Task WaitForSilosAsync(int silos, params ServerNode[] nodes)
    {
        var clock = Stopwatch.StartNew();
        var last = new Dictionary<string, string>();
        while (true)
        {
            var seen = 0;
            foreach (var node in nodes)
            {
                var health = await node.HealthAsync();
                last[node.Name] = health?.ToJsonString() ?? "(no 200 answer)";
                if (health?["silos"] is JsonValue count && count.GetValue<int>() == silos)
                {
                    seen++;
                }
            }
            if (seen == nodes.Length)
            {
                return;
            }
            if (clock.Elapsed > ClusterTimeout)
            {
                Assert.Fail($"Not every node saw {silos} active silos within {ClusterTimeout.TotalSeconds} s: "
                    + string.Join("; ", last.Select(p => $"{p.Key}: {p.Value}")) + Environment.NewLine
                    + string.Join(Environment.NewLine, nodes.Select(n => n.Output())));
            }
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
