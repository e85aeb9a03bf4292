using Microsoft.Extensions.Logging;

using AscCollab.Text;

namespace AscCollab.Grains;

/// <summary>
/// The text of a stored state: its row keeps no text (a write carries the edits, not the document),
/// so the text is its last text row's with the logged ops after it applied (docs/storage.md, "Rows").
/// </summary>
internal sealed partial class ProposalGrain
{
    /// <summary>
    /// <paramref name="stored"/> with its text, as read from storage (on activation, and when a failed
    /// write reloads the state). A state that holds its text (rows written before text rows) is
    /// returned as it is. A text row that is missing or unreadable (storage damaged or altered) is
    /// logged, and the text is rebuilt from the whole op log instead (op row 0 holds the initial
    /// text); the integrity check compares the two (docs/storage.md, "Integrity").
    /// </summary>
    private async Task<ProposalState> WithStoredText(ProposalState stored)
    {
        if (stored.TextLoaded || stored.TextAt is not { } at)
        {
            return stored;
        }
        string? text = null;
        var from = 0L;
        try
        {
            var rows = await store.ReadLogAsync(ProposalLog.TextStream, at, at);
            if (rows.Count == 1)
            {
                (text, from) = (ProposalLog.ReadText(rows[0]), at + 1);
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            text = null;
        }
        if (text is null)
        {
            LogTextRowMissing(logger, GrainKey, at, stored.Revision);
            text = "";
        }
        var edits = stored.Revision >= from ? await ReadLoggedEdits(from, stored.Revision) : [];
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Revision != from + i)
            {
                throw new InvalidOperationException($"The text of proposal '{GrainKey}' at revision {stored.Revision} cannot be rebuilt: the op log lacks revision {from + i}.");
            }
            text = edits[i].Op.Apply(text);
        }
        if (from + edits.Count != stored.Revision + 1)
        {
            throw new InvalidOperationException($"The text of proposal '{GrainKey}' at revision {stored.Revision} cannot be rebuilt: the op log ends at revision {from + edits.Count - 1}.");
        }
        // The length follows the text (it is what edits are checked against before their text is computed).
        return stored with { Text = text, TextLength = CodePoints.Length(text) };
    }

    [LoggerMessage(EventId = 3123, Level = LogLevel.Error,
        Message = "Proposal {Proposal}: its text row of revision {TextAt} is missing or unreadable; the text of revision {Revision} is rebuilt from the whole op log")]
    private static partial void LogTextRowMissing(ILogger logger, string proposal, long textAt, long revision);
}
