using AscCollab.Testing;

namespace AscCollab.Web.Tests;

/// <summary>
/// The editing logic of the client (one op in flight + buffer, transform, resync after a lost
/// ack, positions, revision diff) under node's test runner, against an in-memory sequencer.
/// The browser tests above cover the same code against the real server.
/// </summary>
public sealed class ClientLogicTests
{
    [Fact]
    public async Task Node_unit_tests_of_the_editing_client_pass()
    {
        var web = Path.Combine(RepoPaths.Root, "web");
        Assert.True(Directory.Exists(Path.Combine(web, "node_modules", "ot-text-unicode")), "web/node_modules is missing: the server build runs npm ci there.");
        await NodeTests.RunAsync(web, "test/", TimeSpan.FromSeconds(60));
    }
}
