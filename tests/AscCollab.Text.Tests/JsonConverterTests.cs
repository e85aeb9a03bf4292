using System.Text.Json;

namespace AscCollab.Text.Tests;

public sealed class JsonConverterTests
{
    private sealed record Edit(int Revision, TextOperation Op);

    [Fact]
    public void Serialises_as_the_npm_array_inside_other_objects()
    {
        var edit = new Edit(7, TextOperation.Parse("[2,\"😅\\ud83dx\",{\"d\":3}]"));
        var json = JsonSerializer.Serialize(edit);
        Assert.Equal("{\"Revision\":7,\"Op\":[2,\"😅\\ud83dx\",{\"d\":3}]}", json);
        Assert.Equal(edit, JsonSerializer.Deserialize<Edit>(json));
    }

    [Fact]
    public void Reading_an_invalid_op_throws_JsonException_with_the_reason()
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Edit>("{\"Revision\":1,\"Op\":[1,{\"d\":0}]}"));
        Assert.IsType<InvalidTextOperationException>(e.InnerException);
        Assert.Contains("a delete must be > 0", e.Message, StringComparison.Ordinal);
    }
}
