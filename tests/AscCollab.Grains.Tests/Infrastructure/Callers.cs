namespace AscCollab.Grains.Tests;

internal static class Callers
{
    public static Caller Delegate(string member) => new(member, CallerRole.Delegate);

    /// <summary>Malaysia holds the chairmanship in the tests' schedule until the handover.</summary>
    public static readonly Caller Chair = new("MY", CallerRole.Chair);

    public static readonly Caller Secretariat = new("ASEC", CallerRole.Secretariat);

    public static readonly string[] AllMembers = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];
}
