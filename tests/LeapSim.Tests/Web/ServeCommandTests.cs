using System.Net;
using System.Text.RegularExpressions;
using LeapSim.Tests.Cli;
using Xunit;

namespace LeapSim.Tests.Web;

public sealed partial class ServeCommandTests
{
    [Theory]
    [InlineData("--port", "70000", "not a whole number from 0 to 65535")]
    [InlineData("--address", "localhost.example", "not an IP address")]
    [InlineData("--max-runs", "0", "not a whole number from 1 to 64")]
    public void Bad_options_are_refused_with_exit_2(string option, string value, string fragment)
    {
        var r = CliHarness.Run("serve", option, value);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(option, r.Error);
        Assert.Contains(fragment, r.Error);
    }

    [Fact]
    public async Task Serve_listens_on_the_loopback_address_and_stops_when_interrupted()
    {
        using var cancel = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var server = Task.Run(() => LeapSim.Cli.Cli.Run(["serve", "--port", "0"], TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), cancel.Token));
        Match? url = null;
        for (var i = 0; i < 600 && url is not { Success: true }; i++)
        {
            await Task.Delay(50);
            url = PageLine().Match(stdout.ToString());
            Assert.False(server.IsCompleted, $"serve ended early: {stdout}\n{stderr}");
        }
        Assert.True(url!.Success, "serve printed no address: " + stdout);
        Assert.Equal("127.0.0.1", url.Groups["host"].Value);
        using (var client = new HttpClient())
        {
            using var page = await client.GetAsync(url.Groups["url"].Value);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        cancel.Cancel(); // what Ctrl-C does
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("stopped", stdout.ToString());
        Assert.Equal("", stderr.ToString());
    }

    [GeneratedRegex(@"LeapSim page: (?<url>http://(?<host>[0-9.]+):[0-9]+/)")]
    private static partial Regex PageLine();
}
