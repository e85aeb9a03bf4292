using System.Diagnostics;

namespace AscCollab.Server;

/// <summary>
/// The Development key files (the audit key, the receipt signing key), kept in the key folder
/// (<c>AscCollab:Keys:Folder</c>; default <c>.data/keys</c> under the working directory, beside —
/// never inside — Azurite's data), each created once with mode 0600.
/// </summary>
internal static class KeyFiles
{
    public const string FolderSetting = "AscCollab:Keys:Folder";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public static string Folder(IConfiguration configuration) =>
        configuration[FolderSetting] is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(Directory.GetCurrentDirectory(), ".data", "keys");

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/> unless it exists. Nodes starting
    /// together agree on one file: the first to hold an exclusive lock on <c>PATH.lock</c> (a file lock,
    /// so across processes) writes the file aside and moves it in; the others find it there. A move
    /// alone is not enough: without overwriting it checks and then renames, and a second node's
    /// rename replaced the first one's key after a third node had read it.
    /// </summary>
    public static void CreateOnce(string path, Func<string> content)
    {
        if (File.Exists(path))
        {
            return;
        }
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var lockPath = path + ".lock";
        using var held = Lock(lockPath);
        if (!File.Exists(path))
        {
            var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}");
            using (var writer = new StreamWriter(temporary, PrivateFile(FileMode.CreateNew, FileAccess.Write)))
            {
                writer.Write(content());
            }
            File.Move(temporary, path, overwrite: false);
        }
        // Only once the file is there (a failure above leaves the lock file): whoever takes a lock after
        // this, on this lock file or on a new one, finds the key and writes nothing. Every holder removes
        // the lock file, so none is left once all have passed.
        File.Delete(lockPath);
    }

    private static FileStream Lock(string lockPath)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive file lock (flock on Unix): one holder at a time, across processes.
                return new FileStream(lockPath, PrivateFile(FileMode.OpenOrCreate, FileAccess.ReadWrite));
            }
            catch (IOException) when (Stopwatch.GetElapsedTime(started) < LockWait)
            {
                Thread.Sleep(5);
            }
        }
    }

    private static FileStreamOptions PrivateFile(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }
}
