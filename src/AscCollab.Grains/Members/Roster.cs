using Orleans;

namespace AscCollab.Grains;

/// <summary>A member state of ASEAN.</summary>
[GenerateSerializer, Immutable, Alias("AscCollab.MemberInfo")]
public sealed record MemberInfo(string Code, string Name);

/// <summary>The member states as configured now (adding Timor-Leste is a configuration change).</summary>
public interface IRoster
{
    IReadOnlyList<MemberInfo> Members();

    bool IsMember(string code);

    MemberInfo? Find(string code);
}
