using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Fixture;

namespace SocketIoServer.Tests.Support;

/// <summary>The protocol fixture (the product's own <c>fixture</c> mode) on a free loopback port.</summary>
public sealed class FixtureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FixtureServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Base URL, e.g. http://localhost:41234 (no trailing slash).</summary>
    public string Url { get; }

    public string WsUrl => "ws" + Url[4..];

    /// <param name="flags">More fixture flags (e.g. <c>--parser msgpack</c>).</param>
    public static async Task<FixtureServer> StartAsync(int pingIntervalMs = 300, int pingTimeoutMs = 200, params string[] flags)
    {
        var app = FixtureApp.Build(["--port", "0", "--ping-interval", pingIntervalMs.ToString(), "--ping-timeout", pingTimeoutMs.ToString(), .. flags]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        return new FixtureServer(app, $"http://localhost:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
