using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Server.Redis;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// Faults of a chat cluster: a node killed with SIGKILL (its users do not stay online, the others keep working), and
/// Redis restarted mid-run (chat actions during the outage are refused cleanly; afterwards the cluster works again
/// without a process restart).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterFaultTests
{
    [Test]
    public async Task AKilledNode_DoesNotKeepItsUsersOnline_AndTheOtherNodesKeepWorking()
    {
        await using var cluster = await ChatCluster.StartAsync(3, null, ("REDIS_NODE_TTL", "2000"));
        await cluster.CreateChatAsync(1, "kb", "dm", "ka");
        var chatId = await cluster.CreateChatAsync(1, "kb", "dm", "kc");
        await using var observer = await cluster.ConnectAsync(1, "kb", "/", "user-online", "user-offline", "message:new");
        var doomed = await cluster.ConnectAsync(0, "ka", "/");
        await observer.Events.WaitAsync("user-online", e => e.Args[0]!["userId"]!.GetValue<string>() == "ka");

        await cluster[0].KillAsync();
        // the node's registration expires (2 s) and the next heartbeat of a live node sweeps its sockets
        var offline = await observer.Events.WaitAsync("user-offline", e => e.Args[0]!["userId"]!.GetValue<string>() == "ka", TimeSpan.FromSeconds(20));
        Assert.That(offline.Args[0]!["userId"]!.GetValue<string>(), Is.EqualTo("ka"));
        Assert.That(await cluster.Redis.SetContainsAsync(cluster.Key("online_users"), "ka"), Is.False);
        Assert.That(await cluster.Redis.KeyExistsAsync(cluster.Key("presence:ka")), Is.False);
        await Task.Delay(500);
        Assert.That(observer.Events.Count("user-offline"), Is.EqualTo(1), "announced once, though two nodes sweep");

        await using var other = await cluster.ConnectAsync(2, "kc", "/");
        var ack = (await other.AskAsync("message:send", new { chatId, body = "still here", clientId = "k-1" }))!.AsObject();
        Assert.That(ack["ok"]!.GetValue<bool>(), Is.True, ack.ToJsonString());
        var message = (await observer.Events.WaitAsync("message:new")).Args[0]!.AsObject();
        Assert.That(message["body"]!.GetValue<string>(), Is.EqualTo("still here"));
        await doomed.DisposeAsync();
    }

    [Test]
    public async Task RedisRestarted_ActionsDuringTheOutageAreRefusedCleanly_AndTheClusterWorksAgainAfterIt()
    {
        await using var redis = new PrivateRedis();
        await redis.StartAsync();
        await using var cluster = await ChatCluster.StartAsync(2, redis.Url, ("REDIS_NODE_TTL", "3000"));
        var chatId = await cluster.CreateChatAsync(0, "xa", "dm", "xb");
        await using var alice = await cluster.ConnectAsync(0, "xa", "/", "message:new");
        await using var bob = await cluster.ConnectAsync(1, "xb", "/", "message:new", "user-online");
        Assert.That(await SendAsync(alice, chatId, "before"), Is.True);
        await bob.Events.WaitAsync("message:new", e => Body(e.Args[0]) == "before");

        await redis.StopAsync();
        var refused = (await alice.AskAsync("message:send", new { chatId, body = "during", clientId = "x-during" }))!.AsObject();
        Assert.That(refused["ok"]!.GetValue<bool>(), Is.False, refused.ToJsonString());
        Assert.That(refused["error"]!.GetValue<string>(), Is.EqualTo("INTERNAL"), refused.ToJsonString());
        Assert.That(Guid.TryParse(refused["correlationId"]!.GetValue<string>(), out _), Is.True);
        var task5 = (await alice.AskAsync("send-message", new { roomId = chatId, content = "during too" }))!.AsObject();
        Assert.That(task5["success"]!.GetValue<bool>(), Is.False, task5.ToJsonString());
        Assert.That(alice.Connected && bob.Connected, Is.True, "the sockets stay up; the processes keep running");
        using var probe = new HttpClient { BaseAddress = new Uri(cluster[0].Url) };
        Assert.That((int)(await probe.GetAsync("/health")).StatusCode, Is.EqualTo(503), "/health says Redis is away");

        await redis.StartAsync(); // the same port, none of the data
        // each node reconnects on its own time: sends are refused until this node is back, and one sent before the
        // other node has subscribed again is not heard there (pub/sub keeps nothing; it is stored, for backfill)
        var acknowledged = new List<string> { "before" };
        await ChatCluster.EventuallyAsync(async () =>
        {
            var body = "after " + Guid.NewGuid().ToString("N")[..6];
            if (!await SendAsync(alice, chatId, body)) return false;
            acknowledged.Add(body);
            try
            {
                await bob.Events.WaitAsync("message:new", e => Body(e.Args[0]) == body, TimeSpan.FromSeconds(3));
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }, "a send on one node reaches the other again", TimeSpan.FromSeconds(60));
        // the nodes wrote their sockets again into the empty Redis
        await ChatCluster.EventuallyAsync(async () => await cluster.Redis.SetContainsAsync(cluster.Key("online_users"), "xa")
            && await cluster.Redis.SetContainsAsync(cluster.Key("online_users"), "xb"), "presence is back");

        Assert.That((int)(await probe.GetAsync("/health")).StatusCode, Is.EqualTo(200));

        // nothing refused during the outage was stored, and every acknowledged message was (no acknowledged message is
        // lost, whether or not the other node heard it live)
        using var http = new HttpClient { BaseAddress = new Uri(cluster[1].Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ChatTestServer.Token("xb"));
        var bodies = JsonNode.Parse(await http.GetStringAsync($"/v1/chats/{chatId}/messages?limit=200"))!.AsArray().Select(m => Body(m)).ToList();
        Assert.That(bodies, Does.Not.Contain("during").And.Not.Contain("during too"));
        Assert.That(acknowledged.Except(bodies), Is.Empty);
    }

    private static string? Body(JsonNode? message) => message?["body"]?.GetValue<string>();

    private static async Task<bool> SendAsync(Infrastructure.TestClient client, string chatId, string body)
    {
        var ack = (await client.AskAsync("message:send", new { chatId, body, clientId = Guid.NewGuid().ToString() }))!.AsObject();
        return ack["ok"]!.GetValue<bool>();
    }
}
