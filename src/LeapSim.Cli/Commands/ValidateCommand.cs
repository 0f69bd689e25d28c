using System.CommandLine;

namespace LeapSim.Cli.Commands;

/// <summary>`leapsim validate` (scorecard against targets.csv): filled in by the model issue.</summary>
public static class ValidateCommand
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("validate", "Score the default run against the training targets (targets.csv)");
        cmd.SetAction(_ =>
        {
            ctx.Error.WriteLine("leapsim: validate is not available yet");
            return Cli.InternalError;
        });
        return cmd;
    }
}
