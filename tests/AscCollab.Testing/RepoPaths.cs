using System.Reflection;

namespace AscCollab.Testing;

/// <summary>Paths inside the repository: found above the test binaries, or else from where the support library was built (for --artifacts-path builds).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding AscCollab.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>infra/azurite, where the pinned Azurite is installed.</summary>
    public static string AzuriteFolder => Path.Combine(Root, "infra", "azurite");

    private static string FindRoot()
    {
        var builtFrom = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AscCollab.RepoRoot")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), builtFrom })
        {
            if (string.IsNullOrEmpty(start))
            {
                continue;
            }

            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "AscCollab.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' holds AscCollab.sln; run the tests from inside the repository.");
    }
}
