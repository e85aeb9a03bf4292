namespace AscCollab.Storage.AzureTable.Tests;

/// <summary>The limits on our row model, against numbers worked out by hand from Azure's formulas.</summary>
public sealed class TableLimitsTests
{
    [Fact]
    public void A_small_row_counts_keys_the_chunk_count_and_one_chunk()
    {
        var row = new TableRow("r", "abc"u8.ToArray());

        // 4 + 2·(1 + 1) + n: (8 + 2·1 + 4) + d0: (8 + 2·2 + 4 + 3)
        Assert.Equal(4 + 4 + 14 + 19, TableLimits.EntitySize("p", row));
        // 1024 + 3·2·(1 + 1) + n: (64 + 2 + 40) + d0: (64 + 2·2 + base64 of 3 bytes = 4)
        Assert.Equal(1024 + 12 + 106 + 72, TableLimits.BatchPayloadEstimate("p", row));
        Assert.Equal(2, TableLimits.PropertyCount(row));
    }

    [Fact]
    public void Chunk_names_grow_a_digit_from_d10()
    {
        var row = new TableRow("r", new byte[(10 * ChunkedJson.MaxChunkBytes) + 5]);

        // d0 … d9: 10 · (8 + 2·2 + 4 + 65,536); d10: 8 + 2·3 + 4 + 5
        Assert.Equal(4 + 4 + 14 + (10 * 65_552) + 23, TableLimits.EntitySize("p", row));
        Assert.Equal(12, TableLimits.PropertyCount(row));
    }

    [Fact]
    public void An_empty_state_is_the_chunk_count_alone()
    {
        var row = new TableRow("state|main", []);

        Assert.Equal(4 + (2 * (1 + 10)) + 14, TableLimits.EntitySize("p", row));
        Assert.Equal(1, TableLimits.PropertyCount(row));
    }

    [Fact]
    public void A_row_over_1_MiB_is_refused_naming_its_size()
    {
        var row = new TableRow("state|main", new byte[TableLimits.MaxEntityBytes]);

        var error = Assert.Throws<StorageLimitException>(() => TableLimits.CheckRow("p", row, "The state 'main' of test|k"));

        Assert.StartsWith("The state 'main' of test|k would be an entity of 1,048,", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", error.Message, StringComparison.Ordinal);
    }
}
