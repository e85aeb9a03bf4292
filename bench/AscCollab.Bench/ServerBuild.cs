namespace AscCollab.Bench;

/// <summary>The server's Release dll: given, found in the artifacts folder, or built there.</summary>
internal static class ServerBuild
{
    public static async Task<string> LocateAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.ServerDll is { } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"bench: no server dll at {given}.");
        }
        var artifacts = Path.GetFullPath(options.ArtifactsPath ?? Path.Combine(RepoPaths.Root, "artifacts", "bench"));
        var dll = Path.Combine(artifacts, "bin", "AscCollab.Server", "release", "AscCollab.Server.dll");
        Console.Error.WriteLine($"bench: building the server in Release into {artifacts}");
        await Tools.RunAsync("dotnet", ["build", Path.Combine(RepoPaths.Root, "src", "AscCollab.Server"), "-c", "Release", "--artifacts-path", artifacts, "-v", "q", "-nologo"],
            RepoPaths.Root, TimeSpan.FromMinutes(10), cancellationToken);
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"bench: the build left no server dll at {dll}.");
    }
}
