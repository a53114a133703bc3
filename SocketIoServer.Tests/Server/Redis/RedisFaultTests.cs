using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>Redis restarted mid-run: the nodes reconnect and cross-node broadcasts resume, with no process restart.</summary>
[TestFixture]
public sealed class RedisFaultTests
{
    private static async Task<(WebApplication App, string Url, RedisAdapterFactory Factory)> NodeAsync(PrivateRedis redis)
    {
        var factory = await RedisAdapterFactory.ConnectAsync(redis.Url);
        var (app, url) = await TestHost.StartAsync(o => o.AdapterFactory = factory.Create, io =>
            io.OnConnection(socket => socket.Join("r")));
        return (app, url, factory);
    }

    [Test]
    public async Task AfterARedisRestart_BroadcastsResume()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        var (appA, urlA, factoryA) = await NodeAsync(redis);
        var (appB, urlB, factoryB) = await NodeAsync(redis);
        try
        {
            await using var onB = await TestClient.ConnectAsync(urlB, ClientTransport.WebSocket, "/", null, "news");
            var ioA = appA.Services.GetRequiredService<IoServer>();
            await ioA.To("r").EmitAsync("news", "before");
            await onB.Events.WaitAsync("news", e => e.ArgsJson == """["before"]""");

            await redis.StopAsync();
            // meanwhile each node still serves its own sockets
            await using var onA = await TestClient.ConnectAsync(urlA, ClientTransport.WebSocket, "/", null, "news");
            await ioA.To("r").EmitAsync("news", "during");
            await onA.Events.WaitAsync("news", e => e.ArgsJson == """["during"]""");

            await redis.StartAsync();
            // the subscriptions come back on their own; keep broadcasting until one crosses
            await TestWait.UntilAsync(() =>
            {
                _ = ioA.To("r").EmitAsync("news", "after").ContinueWith(_ => { }, TaskScheduler.Default);
                return onB.Events.Named("news").Any(e => e.ArgsJson == """["after"]""");
            }, "a broadcast crossing nodes after the restart", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await appA.DisposeAsync();
            await appB.DisposeAsync();
            await factoryA.DisposeAsync();
            await factoryB.DisposeAsync();
        }
    }
}
