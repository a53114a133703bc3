using SocketIoServer.Tests.Chat.Cluster;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Chat.Durability;

/// <summary>
/// Two chat server processes on one Redis and one PostgreSQL (issue 7, "shown by" 5): the node the senders are on is
/// killed (SIGKILL) while they send; they reconnect to the other node and retry what was not acknowledged. Every
/// acknowledged message is stored once and was delivered live to the member on the surviving node.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClusterNodeKillTests
{
    [Test]
    public async Task EveryAcknowledgedMessage_SurvivesTheKillOfANode()
    {
        await using var cluster = await ChatCluster.StartAsync(2);
        var (doomed, survivor) = (cluster[0], cluster[1]);
        var chatId = await cluster.CreateChatAsync(1, "alice", "group", "bob", "carol");
        await using var carol = await TestClient.ConnectAsync(survivor.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token("carol") }, "message:new");
        var senders = new List<(string, TestClient)>();
        foreach (var user in new[] { "alice", "bob" })
            senders.Add((user, await TestClient.ConnectAsync(doomed.Url, ClientTransport.WebSocket, "/", new { token = ChatTestServer.Token(user) })));
        var load = SendLoad.Start(senders, chatId);

        await TestWait.UntilAsync(() => load.Acked.Count >= 10, "some acknowledged messages before the kill", TimeSpan.FromSeconds(20));
        // what was acknowledged a while before the kill has surely left the node for Redis too (a message acknowledged
        // in the last instant may die with the node's unsent buffers: it is stored, but not told live without recovery)
        var settled = load.Acked.Values.ToList();
        await Task.Delay(500);
        await doomed.KillAsync();
        await load.StopAsync();
        foreach (var (_, client) in senders) await client.DisposeAsync();
        var ackedOnTheDeadNode = load.Acked.Values.ToList();

        await load.RetryUnacknowledgedAsync(survivor.Url);
        var stored = await SendLoad.BackfillAsync(survivor.Url, chatId, "carol");
        Assert.Multiple(() =>
        {
            Assert.That(ackedOnTheDeadNode.Except(stored.Select(m => m["_id"]!.GetValue<string>())), Is.Empty, "every acknowledged message is stored");
            Assert.That(stored.Select(m => m["clientId"]!.GetValue<string>()), Is.Unique, "no message stored twice");
            Assert.That(stored, Has.Count.EqualTo(load.Attempted.Count), "every attempt stored once, after the retries");
        });

        // carol, on the node that lived, was told of each message the dead node had acknowledged before it died,
        // across nodes, once (a retry that finds its message stored is not announced again)
        string[] Told() => [.. carol.Events.Named("message:new").Select(e => e.Args[0]!["_id"]!.GetValue<string>())];
        await TestWait.UntilAsync(() => !settled.Except(Told()).Any(), "carol's message:new events");
        Assert.That(Told(), Is.Unique);
    }
}
