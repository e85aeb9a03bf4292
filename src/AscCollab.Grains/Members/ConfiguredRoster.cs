using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>The roster from <see cref="AscCollabOptions.Members"/>; follows configuration reloads.</summary>
internal sealed class ConfiguredRoster(IOptionsMonitor<AscCollabOptions> options) : IRoster
{
    public IReadOnlyList<MemberInfo> Members() =>
        [.. options.CurrentValue.Members.Select(m => new MemberInfo(m.Code, m.Name))];

    public bool IsMember(string code) => Find(code) is not null;

    public MemberInfo? Find(string code) =>
        options.CurrentValue.Members.Where(m => string.Equals(m.Code, code, StringComparison.Ordinal))
            .Select(m => new MemberInfo(m.Code, m.Name))
            .FirstOrDefault();
}
