using SocketIoServer.Tests.Support;
using System.Text.Json.Nodes;
using SocketIoServer.Tests.Chat.Cluster;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Durability;

/// <summary>
/// Chat nodes on the streams adapter with connection state recovery (<c>REDIS_ADAPTER=streams</c>,
/// <c>SOCKET_RECOVERY_DURATION</c>; issue 7, "shown by" 5): the node a member is on is killed, the member reconnects
/// to another node with its pid and offset and gets its socket back with every message it missed, in order, once.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterRecoveryTests
{
    [Test]
    public async Task AMemberOfAKilledNode_RecoversOnAnother_WithTheMessagesItMissed()
    {
        await using var cluster = await StartAsync(2);
        var (doomed, survivor) = (cluster[0], cluster[1]);
        var chatId = await cluster.CreateChatAsync(1, "alice", "group", "carol");
        var carolAuth = new JsonObject { ["token"] = ChatTestServer.Token("carol") };

        await using var carol = await RecoveringClient.ConnectAsync(doomed.Url, null, null, carolAuth);
        Assert.That(carol.Pid, Is.Not.Null, "recovery is on: the CONNECT reply has a pid");
        await using var alice = await TestClient.ConnectAsync(survivor.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token("alice") });
        await SendAsync(alice, chatId, "before");
        Assert.That((await carol.ReceiveEventAsync("message:new"))[1]!["body"]!.GetValue<string>(), Is.EqualTo("before"));
        // the node saves its live sockets' sessions every second: wait until carol's is in Redis
        await TestWait.UntilAsync(() => cluster.Redis.KeyExists(cluster.Key("sio:session:" + carol.Pid)), "carol's session saved");

        await doomed.KillAsync();
        var missed = new List<string>();
        for (var i = 1; i <= 3; i++) missed.Add(await SendAsync(alice, chatId, "missed " + i));

        await using var back = await RecoveringClient.ConnectAsync(survivor.Url, carol.Pid, carol.Offset, carolAuth);
        Assert.Multiple(() =>
        {
            Assert.That(back.Sid, Is.EqualTo(carol.Sid), "the same socket, recovered");
            // every vocabulary on "/" has its own event for a message (seed 002's is message:new); each comes once
            Assert.That(back.Replayed.Where(e => e[0]!.GetValue<string>() == "message:new").Select(e => e[1]!["_id"]!.GetValue<string>()),
                Is.EqualTo(missed), "every missed message, in order, once");
            Assert.That(back.Replayed.Select(e => StreamId(e[^1]!.GetValue<string>())), Is.Unique.And.Ordered, "each stream entry once, in order");
        });
        // live again in the chat's room on the new node
        var after = await SendAsync(alice, chatId, "after");
        Assert.That((await back.ReceiveEventAsync("message:new"))[1]!["_id"]!.GetValue<string>(), Is.EqualTo(after));

        // a pid is good once: asking again gives a fresh socket, with nothing replayed, that still hears the chat
        await using var again = await RecoveringClient.ConnectAsync(survivor.Url, carol.Pid, carol.Offset, carolAuth);
        Assert.Multiple(() =>
        {
            Assert.That(again.Sid, Is.Not.EqualTo(carol.Sid));
            Assert.That(again.Replayed, Is.Empty);
        });
        var last = await SendAsync(alice, chatId, "last");
        Assert.That((await again.ReceiveEventAsync("message:new"))[1]!["_id"]!.GetValue<string>(), Is.EqualTo(last));
    }

    [Test]
    public async Task ATokenThatNoLongerPasses_IsRefusedOnRecovery()
    {
        await using var cluster = await StartAsync(1);
        var node = cluster[0];
        await using var carol = await RecoveringClient.ConnectAsync(node.Url, null, null, new JsonObject { ["token"] = ChatTestServer.Token("carol") });
        carol.Cut();

        // the middlewares run again on recovery: a session is no way around authentication
        var refusal = Assert.ThrowsAsync<AssertionException>(() =>
            RecoveringClient.ConnectAsync(node.Url, carol.Pid, carol.Offset, new JsonObject { ["token"] = "not-a-token" }));
        Assert.That(refusal!.Message, Does.StartWith("refused: 44"));
    }

    /// <summary>A stream entry id ("ms-seq", the offset of a replayed event) in its order.</summary>
    private static (long Ms, long Seq) StreamId(string offset) =>
        (long.Parse(offset.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(offset.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Nodes on the streams adapter with recovery on.</summary>
    private static Task<ChatCluster> StartAsync(int nodes) =>
        ChatCluster.StartAsync(nodes, null, ("REDIS_ADAPTER", "streams"), ("SOCKET_RECOVERY_DURATION", "60000"));

    /// <summary>Alice's <c>message:send</c>, acknowledged; the stored message's id.</summary>
    private static async Task<string> SendAsync(TestClient client, string chatId, string body)
    {
        var ack = (await client.AskAsync("message:send", new { chatId, body, clientId = Guid.NewGuid().ToString() }))!;
        Assert.That(ack["ok"]?.GetValue<bool>(), Is.True, ack.ToJsonString());
        return ack["data"]!["serverId"]!.GetValue<string>();
    }
}
