namespace AscCollab.Bench;

/// <summary>Finds the clone from the working directory or from the bench's own build output.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string AzuriteFolder => Path.Combine(Root, "infra", "azurite");

    public static string LoadFolder => Path.Combine(Root, "bench", "node");

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AscCollab.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("bench: run it from inside the AscCollab clone (no AscCollab.sln above the working directory).");
    }
}
