using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace LeapSim.Tests.Cli;

/// <summary>
/// The modules' vector loops step eight units at a time in 512-bit vectors; where the machine has no AVX-512, .NET runs
/// each as two 256-bit halves (EightUnits). Both must give the same results: the built CLI run twice in child processes
/// on a small team-resolution world through the famine, once as the machine is and once with AVX-512 switched off in
/// the JIT (DOTNET_EnableAVX512=0), writes byte-identical tables.
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
                    $"{table} differs with AVX-512 {(Avx512F.IsSupported ? "on and off" : "off (this machine has none)")}");
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
        Assert.True(child.WaitForExit(120_000), "the CLI did not finish in 2 minutes");
        Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}: {stderr.Result}{stdout.Result}");
        return output;
    }
}
