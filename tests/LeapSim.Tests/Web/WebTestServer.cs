using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LeapSim.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LeapSim.Tests.Web;

/// <summary>The `leapsim serve` app on a free loopback port (real Kestrel, real sockets), stopped when disposed.</summary>
public sealed class WebTestServer : IAsyncDisposable
{
    private WebTestServer(WebApplication app, Uri url)
    {
        App = app;
        Url = url;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
    }

    public WebApplication App { get; }
    public Uri Url { get; }
    public HttpClient Client { get; }
    public RunQueue Queue => App.Services.GetRequiredService<RunQueue>();

    public static async Task<WebTestServer> StartAsync(WebOptions options)
    {
        var app = LeapSimServer.Build(options with { Port = 0 });
        await app.StartAsync();
        var url = app.Urls.First();
        return new WebTestServer(app, new Uri(url.EndsWith('/') ? url : url + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(grace.Token);
        await App.DisposeAsync();
    }

    public async Task<JsonElement> StatusAsync()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync("api/status"));
        return doc.RootElement.Clone();
    }

    /// <summary>Polls /api/status until <paramref name="done"/> holds (every 50 ms, at most <paramref name="seconds"/>).</summary>
    public async Task<JsonElement> WaitForStatusAsync(Func<JsonElement, bool> done, double seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var s = await StatusAsync();
            if (done(s) || DateTime.UtcNow > until) return s;
            await Task.Delay(50);
        }
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Starts a page run: the response is returned as soon as its headers arrive (the body streams on).</summary>
    public Task<HttpResponseMessage> PostRunAsync(string json, CancellationToken cancel = default) =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/runs") { Content = Json(json) }, HttpCompletionOption.ResponseHeadersRead, cancel);
}

/// <summary>Reads server-sent events (event: NAME / data: JSON / blank line) from a response body.</summary>
public sealed class EventReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<(string Name, JsonElement Data)?> NextAsync(CancellationToken cancel = default)
    {
        string? name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancel) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is null) continue;
                using var doc = JsonDocument.Parse(data.ToString());
                return (name, doc.RootElement.Clone());
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
        }
        return null;
    }

    /// <summary>Reads until an event named <paramref name="name"/> (returned) or the end (null), collecting the others.</summary>
    public async Task<(string Name, JsonElement Data)?> UntilAsync(string name, List<(string Name, JsonElement Data)>? seen = null, CancellationToken cancel = default)
    {
        while (await NextAsync(cancel) is { } e)
        {
            seen?.Add(e);
            if (e.Name == name) return e;
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
