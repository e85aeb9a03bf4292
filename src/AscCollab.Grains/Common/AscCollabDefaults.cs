using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>
/// The ten members of 2004 and a default chairmanship rotation. Configured members are merged
/// by code (so adding Timor-Leste is one entry); a configured schedule replaces the default one.
/// </summary>
internal sealed class AscCollabDefaults : IPostConfigureOptions<AscCollabOptions>
{
    internal static readonly IReadOnlyList<MemberInfo> Members2004 =
    [
        new("BN", "Brunei Darussalam"),
        new("KH", "Cambodia"),
        new("ID", "Indonesia"),
        new("LA", "Lao PDR"),
        new("MY", "Malaysia"),
        new("MM", "Myanmar"),
        new("PH", "Philippines"),
        new("SG", "Singapore"),
        new("TH", "Thailand"),
        new("VN", "Viet Nam"),
    ];

    // Calendar-year terms, alphabetical rotation as practised from 2024 on.
    private static readonly string[] Rotation = ["LA", "MY", "PH", "SG", "TH", "VN", "BN", "KH", "ID"];
    private const int RotationStartYear = 2024;

    public void PostConfigure(string? name, AscCollabOptions options)
    {
        var configured = options.Members.ToList();
        options.Members.Clear();
        foreach (var member in Members2004)
        {
            options.Members.Add(new MemberOptions { Code = member.Code, Name = member.Name });
        }
        foreach (var member in configured)
        {
            var existing = options.Members.FindIndex(m => string.Equals(m.Code, member.Code, StringComparison.Ordinal));
            if (existing >= 0)
            {
                options.Members[existing] = member;
            }
            else
            {
                options.Members.Add(member);
            }
        }

        if (options.Chairmanship.Count == 0)
        {
            for (var i = 0; i < Rotation.Length; i++)
            {
                var year = RotationStartYear + i;
                options.Chairmanship.Add(new ChairTermOptions
                {
                    Member = Rotation[i],
                    From = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    To = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero),
                });
            }
        }
    }
}
