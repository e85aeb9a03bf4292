using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>Who may receive what on the hub. Asked at every push: Chair rights follow the chairmanship's clock.</summary>
internal sealed class LiveAccess(IChairmanship chairmanship)
{
    /// <summary>The secretariat, and the member holding the chairmanship now with a Chair token, watch everything.</summary>
    public bool Monitors(Caller caller) => caller.Role == CallerRole.Secretariat || chairmanship.HasChairRights(caller);

    public bool MaySee(Caller caller, Audience audience) =>
        Monitors(caller) || (caller.Role != CallerRole.Secretariat && audience.Includes(caller.Member));
}
