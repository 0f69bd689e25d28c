using System.CommandLine;
using System.Globalization;
using System.Net;
using LeapSim.Core.Scenarios;
using LeapSim.Web;
using Microsoft.AspNetCore.Builder;

namespace LeapSim.Cli.Commands;

/// <summary>`leapsim serve`: the interactive page (LeapSim.Web) on this machine's loopback address by default.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var port = new Option<string>("--port", "-p") { Description = "port to listen on (0: any free port)", DefaultValueFactory = _ => "5000" };
        var address = new Option<string>("--address") { Description = "address to listen on; anything but the loopback address (127.0.0.1) makes the page reachable from other machines", DefaultValueFactory = _ => "127.0.0.1" };
        var maxRuns = new Option<string>("--max-runs") { Description = "simulations that may run at once; the others wait in line", DefaultValueFactory = _ => "4" };
        var cmd = new Command("serve", "Serve the interactive page: change the policies of 1958-1962 in the browser and watch the run");
        cmd.Add(port);
        cmd.Add(address);
        cmd.Add(maxRuns);
        cmd.SetAction(p =>
        {
            var options = new WebOptions
            {
                Port = Whole(p.GetValue(port)!, "--port", 0, 65535),
                Address = IPAddress.TryParse(p.GetValue(address), out var a) ? a
                    : throw new InputException(new SourceLocation("<command line>", 0, "--address"), $"'{p.GetValue(address)}' is not an IP address such as 127.0.0.1"),
                MaxConcurrentRuns = Whole(p.GetValue(maxRuns)!, "--max-runs", 1, 64),
            };
            var app = LeapSimServer.Build(options);
            try
            {
                app.StartAsync(ctx.Cancel).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new InputException(new SourceLocation("<command line>", 0, "--port"), $"cannot listen on {options.Address}:{options.Port}: {e.Message}");
            }
            var url = app.Urls.FirstOrDefault() ?? $"http://{options.Address}:{options.Port}";
            ctx.Out.WriteLine($"LeapSim page: {url}/  (Ctrl-C stops the server)");
            if (!options.IsLoopback)
                ctx.Error.WriteLine($"leapsim: note: listening on {options.Address}, reachable from other machines; there is no login");
            try
            {
                Task.Delay(Timeout.Infinite, ctx.Cancel).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) { }
            using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5))) app.StopAsync(grace.Token).GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            ctx.Out.WriteLine("stopped");
            return Cli.Ok;
        });
        return cmd;
    }

    private static int Whole(string text, string option, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
            : throw new InputException(new SourceLocation("<command line>", 0, option), $"'{text}' is not a whole number from {min} to {max}");
}
