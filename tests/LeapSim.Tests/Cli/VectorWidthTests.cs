using System.Diagnostics;
using System.Runtime.Intrinsics;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>
/// The modules' vector loops step eight units at a time where the machine runs 512-bit vectors natively and four
/// elsewhere (Numerics/Lanes.cs), and Demography's kernel runs its 512-bit vectors as two 256-bit halves where there are
/// none. Results must not depend on which: the built CLI run twice in child processes on a small team-resolution world
/// through the famine, once as the machine is and once with AVX-512 switched off in the JIT (DOTNET_EnableAVX512=0),
/// writes byte-identical tables. On a machine without AVX-512 (or whose .NET does not accelerate Vector512) both runs
/// take the same paths and the test checks only that the switch changes nothing; the widths are then compared where
/// such a machine is available (CI here has AVX-512).
/// </summary>
public sealed class VectorWidthTests
{
    [Fact]
    public void Results_do_not_depend_on_whether_the_machine_has_512_bit_vectors()
    {
        var root = Directory.CreateTempSubdirectory("leapsim-width-");
        try
        {
            var asIs = Run(Path.Combine(root.FullName, "as-is"), avx512: true);
            var halves = Run(Path.Combine(root.FullName, "halves"), avx512: false);
            foreach (var table in new[] { "national_monthly.csv", "provinces.csv" })
                Assert.True(File.ReadAllBytes(Path.Combine(asIs, table)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(halves, table))),
                    $"{table} differs with AVX-512 {(Vector512.IsHardwareAccelerated ? "on and off" : "off (this machine runs no 512-bit vectors)")}");
        }
        finally { root.Delete(recursive: true); }
    }

    private static string Run(string output, bool avx512)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "leapsim.dll");
        Assert.True(File.Exists(dll), $"the CLI is not built beside the tests: {dll}");
        var psi = new ProcessStartInfo(CliHarness.DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "run", "-r", "team", "--provinces", "Ningxia,Qinghai", "--years", "1957-1961", "-q", "--threads", "2", "--out", output })
            psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "TMPDIR", "LANG", "USER" })
            if (Environment.GetEnvironmentVariable(name) is { } value) psi.Environment[name] = value;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (!avx512) psi.Environment["DOTNET_EnableAVX512"] = "0";
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(120_000))
        {
            // Stopped before the caller removes the folder it writes to, so that the timeout is what is reported.
            child.Kill(entireProcessTree: true);
            child.WaitForExit(10_000);
            Assert.Fail("the CLI did not finish in 2 minutes");
        }
        Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}: {stderr.Result}{stdout.Result}");
        return output;
    }
}
