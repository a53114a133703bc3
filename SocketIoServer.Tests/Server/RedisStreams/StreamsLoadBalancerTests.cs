using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// Recovery as a deployment sees it: two fixture processes on the streams adapter with recovery, behind Debian's nginx
/// with seed 004's ip_hash; a real socket.io-client with its own reconnection. The node it is on is killed (SIGKILL);
/// the client reconnects through nginx, which now sends it to the other node, and gets its socket back with every
/// event broadcast while it was away, in order, once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StreamsLoadBalancerTests
{
    private const string Room = "room-behind-nginx";

    [Test]
    public async Task AClientBehindNginx_WhoseNodeIsKilled_RecoversOnTheOtherNode()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        var nodes = await FixtureProcess.StartRecoveringClusterAsync(2, redis.Url);
        await using var a = nodes[0];
        await using var b = nodes[1];
        await using var proxy = await NginxProxy.StartAsync(a.Url, b.Url);
        await using var client = await NodePeer.StartClientAsync(proxy.Url, Room);
        var (doomed, survivor) = await NodeBehindAsync(proxy, a, b) == a ? (a, b) : (b, a);
        await using var sender = await TestClient.ConnectAsync(survivor.Url, ClientTransport.WebSocket);

        await sender.EmitAsync("room-broadcast", Room, "before");
        await UntilAsync(client, s => Heard(s).Contains("before"), "the first event");
        // the nodes save their live sockets' sessions every second: wait until the client's is in Redis with its room
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisAdapterFactory.ToConfiguration(redis.Url));
        var server = connection.GetServers()[0];
        await TestWait.UntilAsync(() => server.Keys(pattern: "sio:session:*").Any(key =>
            connection.GetDatabase().StringGet(key) is { IsNullOrEmpty: false } saved
            && Encoding.UTF8.GetString(Convert.FromBase64String(saved!)).Contains(Room, StringComparison.Ordinal)), "the client's session saved with its room");

        await doomed.KillAsync();
        for (var i = 1; i <= 3; i++) await sender.EmitAsync("room-broadcast", Room, "missed " + i);
        var state = await UntilAsync(client, s => s["connects"]!.AsArray().Count == 2, "the client's reconnection through nginx", TimeSpan.FromSeconds(30));

        var connects = state["connects"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(connects[1]!["recovered"]!.GetValue<bool>(), Is.True, state.ToJsonString());
            Assert.That(connects[1]!["id"]!.GetValue<string>(), Is.EqualTo(connects[0]!["id"]!.GetValue<string>()), "the same socket");
        });
        await UntilAsync(client, s => Heard(s).Contains("missed 3"), "the missed events");
        await sender.EmitAsync("room-broadcast", Room, "after");
        state = await UntilAsync(client, s => Heard(s).Contains("after"), "a live event on the new node");
        Assert.That(Heard(state), Is.EqualTo(new[] { "before", "missed 1", "missed 2", "missed 3", "after" }), "in order, once");
    }

    /// <summary>
    /// The node nginx sends this machine to: a session opened through nginx is known to that node only (the other
    /// answers "Session ID unknown"); the probe closes it again.
    /// </summary>
    private static async Task<FixtureProcess> NodeBehindAsync(NginxProxy proxy, FixtureProcess a, FixtureProcess b)
    {
        using var http = new HttpClient();
        var open = await http.GetStringAsync(proxy.Url + "/socket.io/?EIO=4&transport=polling");
        var sid = JsonNode.Parse(open[1..])!["sid"]!.GetValue<string>();
        var close = await http.PostAsync($"{a.Url}/socket.io/?EIO=4&transport=polling&sid={sid}", new StringContent("1"));
        return close.IsSuccessStatusCode ? a : b;
    }

    private static IEnumerable<string> Heard(JsonNode state) =>
        state["events"]!.AsArray().Where(e => e![0]!.GetValue<string>() == "room-broadcast").Select(e => e![1]!.GetValue<string>());

    private static async Task<JsonNode> UntilAsync(NodePeer client, Func<JsonNode, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestWait.Timeout);
        while (true)
        {
            var state = (await client.RunAsync(NodePeer.Command("state")))!;
            if (condition(state)) return state;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}: {state.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
