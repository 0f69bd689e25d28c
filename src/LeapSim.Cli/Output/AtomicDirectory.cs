using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace LeapSim.Cli.Output;

/// <summary>
/// Writes a run's output folder so that nothing half-written ever appears under the final name. Files are written
/// into a hidden sibling "<c>.NAME.tmp-PID-RANDOM</c>"; <see cref="Commit"/> flushes them to disk and renames the
/// folder into place (an existing folder of that name is first moved aside to "<c>.NAME.old-PID-RANDOM</c>" and then
/// deleted, so it is replaced whole, never merged). Disposing without committing deletes the temporary folder.
/// A process killed outright leaves its hidden folders behind; <see cref="CleanStale"/> removes them.
/// <para>Between the two renames of a commit over an existing folder there is a moment when no folder has the final
/// name: readers may see the old output, no output, or the new output, but never a mixture.</para>
/// </summary>
public sealed class AtomicDirectory : IDisposable
{
    private const string TmpMarker = ".tmp-";
    private const string OldMarker = ".old-";

    private readonly string _parent;
    private readonly string _name;
    private bool _committed;
    private bool _disposed;

    private AtomicDirectory(string finalPath, string parent, string name, string tempPath)
    {
        FinalPath = finalPath;
        _parent = parent;
        _name = name;
        TempPath = tempPath;
    }

    /// <summary>Full path of the folder that <see cref="Commit"/> creates.</summary>
    public string FinalPath { get; }

    /// <summary>Full path of the hidden temporary folder the files are written into.</summary>
    public string TempPath { get; }

    /// <summary>Creates the temporary folder next to <paramref name="finalDir"/> (creating the parent if needed).</summary>
    public static AtomicDirectory Begin(string finalDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(finalDir);
        var full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(finalDir));
        var parent = Path.GetDirectoryName(full)
            ?? throw new ArgumentException($"output folder cannot be a root: {finalDir}", nameof(finalDir));
        var name = Path.GetFileName(full);
        if (File.Exists(full))
            throw new IOException($"output path {full} is a file, not a folder");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, HiddenName(name, TmpMarker));
        Directory.CreateDirectory(temp);
        return new AtomicDirectory(full, parent, name, temp);
    }

    /// <summary>Path of <paramref name="fileName"/> (a plain name or a relative path) inside the temporary folder.</summary>
    public string PathFor(string fileName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"{FinalPath} is already committed; its temporary folder is gone");
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (Path.IsPathRooted(fileName))
            throw new ArgumentException($"expected a name inside the output folder, got {fileName}", nameof(fileName));
        var path = Path.GetFullPath(Path.Combine(TempPath, fileName));
        if (!path.StartsWith(TempPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{fileName} points outside the output folder", nameof(fileName));
        return path;
    }

    /// <summary>
    /// Flushes every file to disk (best effort) and renames the temporary folder to the final name, replacing any
    /// folder already there. Can be called once.
    /// </summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"{FinalPath} is already committed");

        foreach (var file in Directory.EnumerateFiles(TempPath, "*", SearchOption.AllDirectories))
            FlushToDisk(file);

        string? old = null;
        if (Directory.Exists(FinalPath))
        {
            old = Path.Combine(_parent, HiddenName(_name, OldMarker));
            Directory.Move(FinalPath, old);
        }
        else if (File.Exists(FinalPath))
            throw new IOException($"output path {FinalPath} is a file, not a folder");

        try
        {
            Directory.Move(TempPath, FinalPath);
        }
        catch when (old is not null)
        {
            // Put the previous output back so that a failed commit leaves things as they were.
            try { Directory.Move(old, FinalPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        _committed = true;
        if (old is not null) TryDeleteDirectory(old);
    }

    /// <summary>Deletes the temporary folder unless <see cref="Commit"/> succeeded. Never throws.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_committed) TryDeleteDirectory(TempPath);
    }

    /// <summary>
    /// Removes what killed runs left in <paramref name="parentDir"/>: hidden "<c>.NAME.tmp-PID-*</c>" folders and
    /// files (from <see cref="WriteFileAtomically"/>) and "<c>.NAME.old-PID-*</c>" folders whose process PID is no
    /// longer alive. An old folder whose final folder is missing (the run died between its two renames) is renamed
    /// back to the final name instead of deleted, restoring the previous output. Entries of live processes are left
    /// alone. Returns the number of entries removed or restored.
    /// </summary>
    public static int CleanStale(string parentDir)
    {
        if (!Directory.Exists(parentDir)) return 0;
        var count = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(parentDir, ".*"))
        {
            if (!TryParseHiddenName(Path.GetFileName(entry), out var name, out var isOld, out var pid)) continue;
            if (IsAlive(pid)) continue;
            try
            {
                if (File.Exists(entry))
                {
                    if (isOld) continue;
                    File.Delete(entry);
                }
                else if (isOld && !Path.Exists(Path.Combine(parentDir, name)))
                    Directory.Move(entry, Path.Combine(parentDir, name));
                else
                    Directory.Delete(entry, recursive: true);
                count++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return count;
    }

    /// <summary>
    /// Writes a single file so that <paramref name="path"/> holds either its previous content or the complete new
    /// content: <paramref name="write"/> fills a hidden temporary file in the same folder, which is flushed to disk and
    /// then renamed over <paramref name="path"/>. The stream is seekable.
    /// </summary>
    public static void WriteFileAtomically(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteFileAtomicallyCore(path, stream => { write(stream); return Task.CompletedTask; }).GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="WriteFileAtomically"/>, for asynchronous writers such as <see cref="ParquetTableWriter"/>.</summary>
    public static Task WriteFileAtomicallyAsync(string path, Func<Stream, Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteFileAtomicallyCore(path, write);
    }

    private static async Task WriteFileAtomicallyCore(string path, Func<Stream, Task> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"not a file path: {path}", nameof(path));
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, HiddenName(Path.GetFileName(full), TmpMarker));
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                             bufferSize: 1 << 16, FileOptions.None))
            {
                await write(stream).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static string HiddenName(string name, string marker) =>
        string.Create(CultureInfo.InvariantCulture,
            $".{name}{marker}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");

    /// <summary>Parses ".NAME.tmp-PID-RANDOM" or ".NAME.old-PID-RANDOM" (NAME may itself contain dots or dashes).</summary>
    internal static bool TryParseHiddenName(string entryName, out string name, out bool isOld, out int pid)
    {
        name = "";
        isOld = false;
        pid = 0;
        if (entryName.Length < 2 || entryName[0] != '.') return false;
        var last = entryName.LastIndexOf('-');
        if (last < 0 || last == entryName.Length - 1) return false;
        var beforePid = entryName.LastIndexOf('-', last - 1);
        if (beforePid < 0) return false;
        if (!int.TryParse(entryName.AsSpan(beforePid + 1, last - beforePid - 1), NumberStyles.None,
                CultureInfo.InvariantCulture, out pid) || pid <= 0) return false;
        var markerStart = beforePid - 4; // marker is ".tmp-" or ".old-", whose '-' is at beforePid
        if (markerStart < 2) return false;
        var marker = entryName.AsSpan(markerStart, 5);
        if (marker.SequenceEqual(TmpMarker)) isOld = false;
        else if (marker.SequenceEqual(OldMarker)) isOld = true;
        else return false;
        name = entryName[1..markerStart];
        return true;
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }      // no such process
        catch (InvalidOperationException) { return false; }
        catch (System.ComponentModel.Win32Exception) { return true; } // exists but not ours to inspect: assume alive
        catch (NotSupportedException) { return true; }
    }

    private static void FlushToDisk(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
