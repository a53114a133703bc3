using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Hosting;
using SocketIoServer.Server;

namespace SocketIoServer.Tests.Support;

/// <summary>A Socket.IO server with the given options on a free loopback port, as an app would host it.</summary>
public static class TestHost
{
    /// <param name="connectionLevelWebSockets">Take WebSocket upgrades at the connection level (<c>UseSocketIoWebSockets</c>).</param>
    /// <param name="listen">More endpoint set-up (TLS), applied before the connection-level handler.</param>
    /// <param name="time">The server's clock (a <c>ManualTimeProvider</c> for expiry tests; timers then fire only when advanced).</param>
    public static async Task<(WebApplication App, string Url)> StartAsync(Action<SocketIoOptions> configure, Action<IoServer>? setUp = null,
        bool connectionLevelWebSockets = false, Action<ListenOptions>? listen = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, endpoint =>
        {
            listen?.Invoke(endpoint);
            if (connectionLevelWebSockets) endpoint.UseSocketIoWebSockets();
        }));
        builder.Logging.ClearProviders();
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddSocketIo(configure);
        var app = builder.Build();
        app.MapSocketIo(setUp);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, url);
    }
}

/// <summary>Base of the fixtures that talk to the protocol fixture with raw requests.</summary>
public abstract class FixtureTestBase
{
    protected FixtureServer Server { get; private set; } = null!;

    protected Polling Polling { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartFixtureAsync()
    {
        Server = await FixtureServer.StartAsync();
        Polling = new Polling(Server.Url);
    }

    [OneTimeTearDown]
    public async Task StopFixtureAsync()
    {
        Polling.Dispose();
        await Server.DisposeAsync();
    }
}
