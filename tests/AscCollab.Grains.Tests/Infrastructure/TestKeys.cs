namespace AscCollab.Grains.Tests;

/// <summary>The tests' audit keys (configuration as a deployment gives it; the secrets are test-only).</summary>
internal static class TestKeys
{
    public static readonly string First = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    public static readonly string Second = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    /// <summary>One key, "t1", as every test host has it unless a test configures others.</summary>
    public static IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>
    {
        ["AscCollab:Integrity:AuditKeys:t1"] = First,
    };

    public static AuditKeyRing Ring { get; } = new(new Dictionary<string, byte[]> { ["t1"] = Convert.FromBase64String(First) }, "t1", allowUnkeyedEntries: false);
}
