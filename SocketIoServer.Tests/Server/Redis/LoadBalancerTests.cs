using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// Two nodes on Redis behind nginx with ip_hash (seed 004's configuration): long-polling-only and upgrading clients
/// work through the proxy, and broadcasts from either node reach them.
/// </summary>
[TestFixture]
public sealed class LoadBalancerTests
{
    [TestCase(ClientTransport.Polling)]
    [TestCase(ClientTransport.AutoUpgrade)]
    [TestCase(ClientTransport.WebSocket)]
    public async Task ClientsThroughNginx_Work_AndHearBothNodes(ClientTransport transport)
    {
        var key = RedisTestServer.NewKey();
        await using var a = await RedisTestNode.StartAsync(key, "a");
        await using var b = await RedisTestNode.StartAsync(key, "b");
        await using var proxy = await NginxProxy.StartAsync(a.Url, b.Url);

        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await TestClient.ConnectAsync(proxy.Url, transport, "/", null, "news");
                await client.EmitWithAckAsync("join", "r");
                clients.Add(client);
            }
            await a.Io.To("r").EmitAsync("news", "from a");
            await b.Io.To("r").EmitAsync("news", "from b");
            foreach (var client in clients)
            {
                await client.Events.WaitAsync("news", e => e.ArgsJson == """["from a"]""");
                await client.Events.WaitAsync("news", e => e.ArgsJson == """["from b"]""");
            }

            var sockets = await a.Io.FetchSocketsAsync();
            Assert.That(sockets.Select(s => s.Id), Is.SupersetOf(clients.Select(c => c.Id)));
            if (transport != ClientTransport.Polling)
            {
                // the WebSocket went through the proxy's Upgrade headers
                var served = a.Io.MainNamespace.Sockets.Values.Concat(b.Io.MainNamespace.Sockets.Values).Where(s => clients.Any(c => c.Id == s.Id));
                await TestWait.UntilAsync(() => served.All(s => s.Transport == "websocket"), "the upgrade through nginx");
            }
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }
}
