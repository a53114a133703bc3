using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>Two server nodes sharing a real Redis through the adapter: broadcasts cross nodes, once, with their options.</summary>
[TestFixture]
public sealed class RedisAdapterTests
{
    private sealed class Node : IAsyncDisposable
    {
        public required WebApplication App { get; init; }
        public required string Url { get; init; }
        public required RedisAdapterFactory Factory { get; init; }
        public IoServer Io => App.Services.GetRequiredService<IoServer>();

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Factory.DisposeAsync();
        }
    }

    private static async Task<Node> StartNodeAsync(string key)
    {
        var factory = await RedisAdapterFactory.ConnectAsync(RedisTestServer.Url, new RedisAdapterOptions { Key = key });
        var (app, url) = await TestHost.StartAsync(o => o.AdapterFactory = factory.Create, io =>
        {
            io.OnConnection(socket => socket.On("join", e =>
            {
                socket.Join(e.Arg<string>(0)!);
                e.Ack();
            }));
        });
        return new Node { App = app, Url = url, Factory = factory };
    }

    private static async Task<TestClient> ClientAsync(Node node, string room, params string[] record)
    {
        var client = await TestClient.ConnectAsync(node.Url, ClientTransport.WebSocket, "/", null, record);
        await client.EmitWithAckAsync("join", room);
        return client;
    }

    [Test]
    public async Task ARoomBroadcast_ReachesTheRoomOnEveryNode_Once()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onA = await ClientAsync(a, "r", "news");
        await using var onB = await ClientAsync(b, "r", "news");
        await using var elsewhere = await ClientAsync(b, "other", "news");

        await a.Io.To("r").EmitAsync("news", 1, "two", new JsonObject { ["three"] = 3 }, new byte[] { 4, 5 });
        var received = await onB.Events.WaitAsync("news");
        Assert.That(received.ArgsJson, Does.StartWith("""[1,"two",{"three":3},"""));
        Assert.That(received.Attachments.Single(), Is.EqualTo(new byte[] { 4, 5 }), "binary crosses nodes as binary");
        await onA.Events.WaitAsync("news");

        await b.Io.EmitAsync("news", "everyone");
        await elsewhere.Events.WaitAsync("news", e => e.ArgsJson == """["everyone"]""");
        await onA.Events.WaitAsync("news", e => e.ArgsJson == """["everyone"]""");
        await onB.Events.WaitAsync("news", e => e.ArgsJson == """["everyone"]""");
        await Task.Delay(200);
        Assert.Multiple(() =>
        {
            Assert.That(onA.Events.Count("news"), Is.EqualTo(2), "once each, never echoed back by the other node");
            Assert.That(onB.Events.Count("news"), Is.EqualTo(2));
            Assert.That(elsewhere.Events.Count("news"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExceptAndLocal_AreHonouredAcrossNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        await using var b = await StartNodeAsync(key);
        await using var onA = await ClientAsync(a, "r", "news");
        await using var onB = await ClientAsync(b, "r", "news");
        await using var vip = await ClientAsync(b, "vip", "news");

        await a.Io.Local.EmitAsync("news", "local only");
        await a.Io.Except("vip").EmitAsync("news", "not for vips");
        await a.Io.EmitAsync("news", "barrier");
        await vip.Events.WaitAsync("news", e => e.ArgsJson == """["barrier"]""");
        await onB.Events.WaitAsync("news", e => e.ArgsJson == """["barrier"]""");
        Assert.Multiple(() =>
        {
            Assert.That(onB.Events.Named("news").Select(e => e.ArgsJson), Is.EqualTo(new[] { """["not for vips"]""", """["barrier"]""" }));
            Assert.That(vip.Events.Named("news").Select(e => e.ArgsJson), Is.EqualTo(new[] { """["barrier"]""" }));
        });
    }

    [Test]
    public async Task ServerCount_CountsTheNodes()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StartNodeAsync(key);
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(1));
        await using var b = await StartNodeAsync(key);
        Assert.That(await a.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(2));
    }

    [TestCase("redis://localhost", "localhost:6379")]
    [TestCase("redis://:secret@cache:6380/2", "cache:6380,password=secret,defaultDatabase=2")]
    [TestCase("rediss://user:pw@cache", "cache:6379,user=user,password=pw,ssl=true")]
    [TestCase("cache:6379,password=x", "cache:6379,password=x")]
    public void RedisUrls_BecomeConfigurationStrings(string url, string expected) =>
        Assert.That(RedisAdapterFactory.ToConfiguration(url), Is.EqualTo(expected));
}
