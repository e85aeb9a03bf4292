using System.Collections;

namespace AscCollab.Server;

/// <summary>
/// The recipients of one push. SignalR's default lifetime manager serialises the message once and
/// then tests every connection of the hub with <c>Contains</c> on the id list it was given — a
/// linear search, so a plain list makes one push to a big room cost connections × recipients.
/// This list answers <c>Contains</c> (through <see cref="ICollection{T}"/>) from a hash set.
/// </summary>
internal sealed class ConnectionIdList(List<string> ids) : IReadOnlyList<string>, ICollection<string>
{
    private readonly HashSet<string> _set = new(ids, StringComparer.Ordinal);

    public int Count => ids.Count;

    public bool IsReadOnly => true;

    public string this[int index] => ids[index];

    public bool Contains(string item) => _set.Contains(item);

    public void CopyTo(string[] array, int arrayIndex) => ids.CopyTo(array, arrayIndex);

    public IEnumerator<string> GetEnumerator() => ids.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<string>.Add(string item) => throw new NotSupportedException();

    void ICollection<string>.Clear() => throw new NotSupportedException();

    bool ICollection<string>.Remove(string item) => throw new NotSupportedException();
}
