using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace AscCollab.Grains;

/// <summary>
/// The roster from <see cref="AscCollabOptions.Members"/>; follows configuration reloads. Every hub
/// call and edit asks whether its caller is a member, so the roster is kept as a lookup built once
/// per options instance (a reload brings a new instance) rather than searched per question.
/// </summary>
internal sealed class ConfiguredRoster(IOptionsMonitor<AscCollabOptions> options) : IRoster
{
    private Snapshot? _snapshot;

    public IReadOnlyList<MemberInfo> Members() => Current().Members;

    public bool IsMember(string code) => Current().ByCode.ContainsKey(code);

    public MemberInfo? Find(string code) => Current().ByCode.GetValueOrDefault(code);

    private Snapshot Current()
    {
        var source = options.CurrentValue;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || !ReferenceEquals(snapshot.Source, source))
        {
            snapshot = new Snapshot(source);
            Volatile.Write(ref _snapshot, snapshot);
        }
        return snapshot;
    }

    private sealed class Snapshot
    {
        public Snapshot(AscCollabOptions source)
        {
            Source = source;
            Members = [.. source.Members.Select(m => new MemberInfo(m.Code, m.Name))];
            var byCode = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
            foreach (var member in Members)
            {
                // The first entry of a code wins, as the search did (validation refuses duplicates and empty codes).
                if (member.Code is not null)
                {
                    byCode.TryAdd(member.Code, member);
                }
            }
            ByCode = byCode.ToFrozenDictionary(StringComparer.Ordinal);
        }

        public AscCollabOptions Source { get; }

        public IReadOnlyList<MemberInfo> Members { get; }

        public FrozenDictionary<string, MemberInfo> ByCode { get; }
    }
}
