using System.Text;

namespace AscCollab.Storage.AzureTable;

/// <summary>
/// One row of a write: its RowKey and its JSON as UTF-8, which is stored in <see cref="ChunkedJson"/>
/// chunks. Limits are computed from these numbers before any entity is built.
/// </summary>
internal readonly record struct TableRow(string RowKey, byte[] Utf8)
{
    public int Utf8Length => Utf8.Length;

    /// <summary>A lone surrogate in <paramref name="json"/> becomes U+FFFD, as <see cref="Encoding.UTF8"/> does.</summary>
    public static TableRow FromJson(string rowKey, string json) => new(rowKey, Encoding.UTF8.GetBytes(json));
}
