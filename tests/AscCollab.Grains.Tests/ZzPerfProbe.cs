using System.Diagnostics;
using AscCollab.Text;
using Xunit.Abstractions;

namespace AscCollab.Grains.Tests;

public sealed class ZzPerfProbe(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe()
    {
        await using var host = await GrainsHost.StartAsync();
        var id = await Drafts.Create(host, Callers.Delegate("SG"), text: "");
        var proposal = host.Proposal(id);
        var stop = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var tasks = Enumerable.Range(0, 10).Select(async n =>
        {
            var member = Callers.AllMembers[n];
            long revision = 0;
            var count = 0;
            while (stop.Elapsed < TimeSpan.FromSeconds(3))
            {
                var ack = await proposal.SubmitEdit(Callers.Delegate(member), revision, TextOperation.Insert(0, "x")).Within();
                revision = ack.Revision;
                count++;
            }
            return count;
        });
        var total = (await Task.WhenAll(tasks)).Sum();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        output.WriteLine($"ops {total} in {stop.Elapsed.TotalSeconds:F1}s = {total / stop.Elapsed.TotalSeconds:F0}/s; cpu {cpu.TotalSeconds:F2}s => {total / cpu.TotalSeconds:F0} ops/cpu-s");
    }
}
