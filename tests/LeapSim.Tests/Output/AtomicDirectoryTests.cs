using LeapSim.Cli.Output;
using Xunit;

namespace LeapSim.Tests.Output;

public class AtomicDirectoryTests
{
    [Fact]
    public void Commit_makes_the_final_folder_with_the_files_and_leaves_no_temp()
    {
        using var tmp = new TempFolder();
        var final = tmp["run"];

        using (var dir = AtomicDirectory.Begin(final))
        {
            Assert.StartsWith(tmp.Path + Path.DirectorySeparatorChar + ".run.tmp-" + Environment.ProcessId + "-", dir.TempPath, StringComparison.Ordinal);
            File.WriteAllText(dir.PathFor("national.csv"), "a\n1\n");
            Directory.CreateDirectory(dir.PathFor("plots"));
            File.WriteAllText(dir.PathFor("plots/x.txt"), "x");
            Assert.False(Directory.Exists(final)); // nothing under the final name before the commit
            dir.Commit();
            Assert.Equal(final, dir.FinalPath);
        }

        Assert.Equal(["run"], tmp.Entries());
        Assert.Equal("a\n1\n", File.ReadAllText(Path.Combine(final, "national.csv")));
        Assert.Equal("x", File.ReadAllText(Path.Combine(final, "plots", "x.txt")));
    }

    [Fact]
    public void Dispose_without_commit_leaves_neither_final_nor_temp()
    {
        using var tmp = new TempFolder();
        var final = tmp["run"];

        using (var dir = AtomicDirectory.Begin(final))
        {
            File.WriteAllText(dir.PathFor("half.csv"), "a\n");
            Assert.True(Directory.Exists(dir.TempPath));
        }

        Assert.Empty(tmp.Entries());
    }

    [Fact]
    public void Dispose_after_an_exception_keeps_the_previous_output()
    {
        using var tmp = new TempFolder();
        var final = tmp["run"];
        Directory.CreateDirectory(final);
        File.WriteAllText(Path.Combine(final, "old.csv"), "old");

        void FailingRun()
        {
            using var dir = AtomicDirectory.Begin(final);
            File.WriteAllText(dir.PathFor("new.csv"), "new");
            throw new InvalidOperationException("run failed");
        }
        Assert.Throws<InvalidOperationException>(FailingRun);

        Assert.Equal(["run"], tmp.Entries());
        Assert.Equal(["old.csv"], Directory.GetFiles(final).Select(Path.GetFileName));
    }

    [Fact]
    public void Commit_over_an_existing_folder_replaces_it_wholly()
    {
        using var tmp = new TempFolder();
        var final = tmp["run"];
        Directory.CreateDirectory(Path.Combine(final, "sub"));
        File.WriteAllText(Path.Combine(final, "old.csv"), "old");
        File.WriteAllText(Path.Combine(final, "shared.csv"), "old");
        File.WriteAllText(Path.Combine(final, "sub", "old.txt"), "old");

        using (var dir = AtomicDirectory.Begin(final + "/")) // a trailing separator names the same folder
        {
            File.WriteAllText(dir.PathFor("shared.csv"), "new");
            dir.Commit();
            Assert.Throws<InvalidOperationException>(dir.Commit);
        }

        Assert.Equal(["run"], tmp.Entries());
        Assert.Equal(["shared.csv"], Directory.EnumerateFileSystemEntries(final).Select(Path.GetFileName));
        Assert.Equal("new", File.ReadAllText(Path.Combine(final, "shared.csv")));
    }

    [Fact]
    public void Begin_creates_missing_parents_and_PathFor_stays_inside()
    {
        using var tmp = new TempFolder();
        using var dir = AtomicDirectory.Begin(Path.Combine(tmp.Path, "a", "b", "run"));
        Assert.True(Directory.Exists(dir.TempPath));
        Assert.Throws<ArgumentException>(() => dir.PathFor("../escape.csv"));
        Assert.Throws<ArgumentException>(() => dir.PathFor("/etc/passwd"));
    }

    [Fact]
    public void CleanStale_removes_dead_process_leftovers_but_not_live_ones()
    {
        using var tmp = new TempFolder();
        var dead = tmp[".run.tmp-999999-abc123"];
        var live = tmp[$".run.tmp-{Environment.ProcessId}-def456"];
        var deadFile = tmp[".national.csv.tmp-999999-0a0b"];
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "half.csv"), "a\n");
        Directory.CreateDirectory(live);
        File.WriteAllText(deadFile, "a\n");
        Directory.CreateDirectory(tmp[".hidden-but-not-ours"]);
        Directory.CreateDirectory(tmp["run"]);

        Assert.Equal(2, AtomicDirectory.CleanStale(tmp.Path));

        Assert.Equal([".hidden-but-not-ours", $".run.tmp-{Environment.ProcessId}-def456", "run"], tmp.Entries());
        Assert.Equal(0, AtomicDirectory.CleanStale(tmp["missing"]));
    }

    [Fact]
    public void CleanStale_checks_other_processes_by_pid()
    {
        using var tmp = new TempFolder();
        using var sleeper = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            var name = $".run.tmp-{sleeper.Id}-abc";
            Directory.CreateDirectory(tmp[name]);
            Assert.Equal(0, AtomicDirectory.CleanStale(tmp.Path));
            Assert.Equal([name], tmp.Entries());

            sleeper.Kill();
            sleeper.WaitForExit();
            Assert.Equal(1, AtomicDirectory.CleanStale(tmp.Path));
            Assert.Empty(tmp.Entries());
        }
        finally
        {
            if (!sleeper.HasExited) sleeper.Kill();
        }
    }

    [Fact]
    public void CleanStale_restores_an_old_folder_whose_commit_died_between_renames()
    {
        using var tmp = new TempFolder();
        // Killed after moving "run" aside and before moving the new one in: restore the previous output.
        Directory.CreateDirectory(tmp[".run.old-999999-aa"]);
        File.WriteAllText(Path.Combine(tmp[".run.old-999999-aa"], "old.csv"), "old");
        // Killed after the second rename, before deleting the old one: just delete it.
        Directory.CreateDirectory(tmp["other"]);
        Directory.CreateDirectory(tmp[".other.old-999999-bb"]);

        Assert.Equal(2, AtomicDirectory.CleanStale(tmp.Path));

        Assert.Equal(["other", "run"], tmp.Entries());
        Assert.Equal("old", File.ReadAllText(Path.Combine(tmp["run"], "old.csv")));
    }

    [Theory]
    [InlineData(".run.tmp-123-abcd", "run", false, 123)]
    [InlineData(".my.run-2.old-7-ff", "my.run-2", true, 7)]
    [InlineData(".national.csv.tmp-42-0a", "national.csv", false, 42)]
    public void Hidden_names_parse(string entry, string name, bool isOld, int pid)
    {
        Assert.True(AtomicDirectory.TryParseHiddenName(entry, out var n, out var o, out var p));
        Assert.Equal((name, isOld, pid), (n, o, p));
    }

    [Theory]
    [InlineData(".run")]
    [InlineData(".tmp-1-a")]
    [InlineData(".run.tmp-x-a")]
    [InlineData(".run.tmp-1-")]
    [InlineData("run.tmp-1-a")]
    [InlineData(".run.bak-1-a")]
    public void Other_names_do_not_parse(string entry) =>
        Assert.False(AtomicDirectory.TryParseHiddenName(entry, out _, out _, out _));

    [Fact]
    public async Task WriteFileAtomically_replaces_the_file_and_leaves_no_temp()
    {
        using var tmp = new TempFolder();
        var path = tmp["national.csv"];
        File.WriteAllText(path, "old");

        AtomicDirectory.WriteFileAtomically(path, s => s.Write("new"u8));
        Assert.Equal("new", File.ReadAllText(path));

        Assert.Throws<InvalidOperationException>(() =>
            AtomicDirectory.WriteFileAtomically(path, s => { s.Write("half"u8); throw new InvalidOperationException(); }));
        Assert.Equal("new", File.ReadAllText(path));

        await AtomicDirectory.WriteFileAtomicallyAsync(tmp["t.parquet"], async s => await s.WriteAsync("pq"u8.ToArray()));
        Assert.Equal("pq", File.ReadAllText(tmp["t.parquet"]));

        Assert.Equal(["national.csv", "t.parquet"], tmp.Entries());
    }
}
