using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeapSim.Core.Engine;
using LeapSim.Tests.Output;
using Xunit;
using Xunit.Abstractions;

namespace LeapSim.Tests.Reliability;

/// <summary>
/// The built CLI (leapsim.dll beside the test assembly) as a child process, stopped in the middle of a checkpointed
/// run by SIGINT (a clean stop: exit 130, no output, one line saying where the checkpoint is) or by SIGKILL (no
/// chance to clean up: only complete files or hidden temporary ones are left), then resumed: the output is
/// byte-identical to an uninterrupted run of the same command.
/// <para>The child gets a clean environment (none of the test host's DOTNET_, VSTEST_ or CI variables), its output
/// is drained asynchronously, SIGINT is reset to its default disposition (a test host started in the background
/// ignores it, and children inherit that), and every wait is bounded.</para>
/// </summary>
public sealed class InterruptTests(InterruptTests.WholeRun whole, ITestOutputHelper log) : IClassFixture<InterruptTests.WholeRun>
{
    /// <summary>Three large provinces at commune resolution: several seconds, the first checkpoint after about one.</summary>
    private static readonly string[] World =
        ["--provinces", "Sichuan,Henan,Shandong", "-r", "commune", "--years", "1957-1966", "-q", "--threads", "2"];

    private static readonly TimeSpan FirstCheckpointTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The uninterrupted run, in process, once for both signals.</summary>
    public sealed class WholeRun : IDisposable
    {
        private readonly TempFolder _tmp = new();
        public WholeRun()
        {
            var err = new StringWriter();
            var code = LeapSim.Cli.Cli.Run(["run", "--out", Folder, .. World], new StringWriter(), err);
            if (code != 0) throw new InvalidOperationException($"the uninterrupted run failed ({code}): {err}");
        }
        public string Folder => _tmp["whole"];
        public void Dispose() => _tmp.Dispose();
    }

    /// <summary>A theory that needs POSIX signals: reported as skipped on Windows, not passed.</summary>
    public sealed class PosixTheoryAttribute : TheoryAttribute
    {
        public PosixTheoryAttribute()
        {
            if (OperatingSystem.IsWindows()) Skip = "needs POSIX signals (SIGINT, SIGKILL)";
        }
    }

    [PosixTheory]
    [InlineData("INT")]
    [InlineData("KILL")]
    public void A_run_stopped_in_the_middle_resumes_to_the_same_bytes(string signal)
    {
        using var tmp = new TempFolder();
        var folder = tmp["cut.checkpoint"];
        var checkpoint = Path.Combine(folder, "run.checkpoint");
        using var child = new Child(["run", "--out", tmp["cut"], "--checkpoint-every", "6", .. World]);
        try
        {
            var waited = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !child.Process.HasExited && waited.Elapsed < FirstCheckpointTimeout) Thread.Sleep(20);
            Assert.True(File.Exists(checkpoint),
                $"no checkpoint after {waited.Elapsed.TotalSeconds:F1} s (child exited: {child.Process.HasExited}); it said: {child.Stderr}");
            if (child.Process.HasExited) Assert.Fail($"the run ended (exit {child.Process.ExitCode}) before it could be stopped: {child.Stderr}");
            log.WriteLine($"first checkpoint {waited.ElapsedMilliseconds} ms after the start");

            if (signal == "KILL")
            {
                // Kill it while it writes the next checkpoint if that can be caught (a half-written temporary file).
                var caught = WaitFor(() => Hidden(folder).Any(), TimeSpan.FromSeconds(5), pollMs: 1);
                log.WriteLine(caught ? "killing while a checkpoint is being written" : "killing between checkpoints");
            }
            var stopping = Stopwatch.StartNew();
            Kill(child.Process.Id, signal);
            Assert.True(child.WaitForExit(StopTimeout), $"the run did not stop within {StopTimeout.TotalSeconds} s of SIG{signal}");
            var stderr = child.Stderr;
            log.WriteLine($"SIG{signal}: stopped in {stopping.Elapsed.TotalMilliseconds:F0} ms with exit {child.Process.ExitCode}; stderr: {stderr.Trim()}");
            log.WriteLine($"left: {string.Join(", ", Entries(tmp.Path))}");

            Assert.False(Directory.Exists(tmp["cut"]), "an output folder appeared");
            if (signal == "INT")
            {
                Assert.Equal(130, child.Process.ExitCode);
                var lines = stderr.Trim().Split('\n');
                Assert.Single(lines);
                Assert.Contains("the last checkpoint", lines[0]);
                Assert.Contains(checkpoint, lines[0]);
                Assert.Contains($"leapsim resume {folder}", lines[0]);
                Assert.Empty(Hidden(tmp.Path).Concat(Hidden(folder))); // nothing half-written
            }
            else
            {
                Assert.Equal(128 + 9, child.Process.ExitCode);
                // Complete files, or hidden temporary ones of the dead process.
                foreach (var e in Entries(tmp.Path))
                    Assert.True(e is "cut.checkpoint" or "cut.checkpoint/run.checkpoint" || IsTemporaryOf(e, child.Process.Id), $"unexpected {e}");
            }
            // What is under the final name is a complete, valid checkpoint.
            using (var s = File.OpenRead(checkpoint))
                log.WriteLine($"checkpoint after month {Checkpoint.Read(s, checkpoint).MonthsDone}");
        }
        finally
        {
            child.Dispose();
        }

        var resumeErr = new StringWriter();
        var resumed = Stopwatch.StartNew();
        var code = LeapSim.Cli.Cli.Run(["resume", folder, "-q"], new StringWriter(), resumeErr);
        Assert.True(code == 0, $"resume failed ({code}): {resumeErr}");
        log.WriteLine($"resumed in {resumed.Elapsed.TotalSeconds:F1} s");
        CheckpointTests.AssertSameOutput(whole.Folder, tmp["cut"]);
        Assert.False(Directory.Exists(folder), "the checkpoint of a finished run was kept");
        Assert.Empty(Hidden(tmp.Path)); // the killed run's temporary files are gone
        Assert.Equal(["cut"], tmp.Entries());
    }

    private static IEnumerable<string> Hidden(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir, ".*").Select(e => Path.GetFileName(e)) : [];

    /// <summary>Everything under <paramref name="dir"/>, relative, with '/' separators.</summary>
    private static string[] Entries(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(dir, e).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A hidden ".NAME.tmp-PID-*" entry of process <paramref name="pid"/> (or something inside one).</summary>
    private static bool IsTemporaryOf(string relative, int pid) =>
        relative.Split('/').Any(part => part.StartsWith('.') && part.Contains($".tmp-{pid}-", StringComparison.Ordinal));

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout, int pollMs)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            Thread.Sleep(pollMs);
        }
        return condition();
    }

    /// <summary>Sends SIG<paramref name="signal"/> with kill(1).</summary>
    private static void Kill(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        var err = kill.StandardError.ReadToEndAsync();
        Assert.True(kill.WaitForExit(10_000), "kill did not return");
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {pid}: {err.Result}");
    }

    /// <summary>The CLI in a child process with a clean environment and its output read as it comes.</summary>
    private sealed class Child : IDisposable
    {
        private readonly StringBuilder _out = new(), _err = new();

        public Child(string[] args)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "leapsim.dll");
            Assert.True(File.Exists(dll), $"the CLI is not built beside the tests: {dll}");
            var dotnet = Cli.CliHarness.DotnetHost();
            var psi = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            if (EnvResetsSignals.Value)
            {
                // env(1) resets SIGINT to its default and then execs dotnet, so the process id stays the same.
                psi.FileName = "env";
                psi.ArgumentList.Add("--default-signal=INT");
                psi.ArgumentList.Add(dotnet);
            }
            else psi.FileName = dotnet;
            psi.ArgumentList.Add(dll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment.Clear();
            foreach (var name in new[] { "PATH", "HOME", "TMPDIR", "LANG", "USER" })
                if (Environment.GetEnvironmentVariable(name) is { } value) psi.Environment[name] = value;
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            Process = new Process { StartInfo = psi };
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
            Process.Start();
            Process.StandardInput.Close();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }
        public string Stdout { get { lock (_out) return _out.ToString(); } }
        public string Stderr { get { lock (_err) return _err.ToString(); } }

        /// <summary>Waits for the exit and for the end of its output, at most <paramref name="timeout"/>.</summary>
        public bool WaitForExit(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                Process.WaitForExitAsync(cts.Token).GetAwaiter().GetResult();
                return true;
            }
            catch (OperationCanceledException) { return false; }
        }

        public void Dispose()
        {
            try
            {
                if (!Process.HasExited) Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
            catch (InvalidOperationException) { }
            Process.Dispose();
        }

        private static readonly Lazy<bool> EnvResetsSignals = new(() =>
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("env", ["--default-signal=INT", "true"]) { UseShellExecute = false, RedirectStandardError = true })!;
                p.StandardError.ReadToEndAsync();
                return p.WaitForExit(10_000) && p.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception) { return false; }
        });
    }
}
