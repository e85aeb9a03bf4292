namespace AscCollab.Storage.AzureTable;

/// <summary>
/// One row of a write as the REST writer sends it: its RowKey and its JSON, which goes out as
/// <see cref="Utf8Length"/> bytes of UTF-8 in <see cref="ChunkedJson"/> chunks. Limits are
/// computed from these numbers, so no SDK entity is built for a write.
/// </summary>
internal readonly record struct TableRow(string RowKey, string Json, int Utf8Length);
