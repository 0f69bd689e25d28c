namespace LeapSim.Tests.Cli;

/// <summary>Runs the `leapsim` command line in-process and captures what it prints.</summary>
internal static class CliHarness
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
    }

    public static Result Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = LeapSim.Cli.Cli.Run(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The header (first line) of a CSV file, split on commas (the column names need no quoting).</summary>
    public static string[] Header(string csvPath) => File.ReadLines(csvPath).First().Split(',');

    public static int DataRows(string csvPath) => File.ReadLines(csvPath).Count() - 1;

    /// <summary>The dotnet host the tests run under (the same runtime), else the one on PATH: for the CLI in a child process.</summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }
}
