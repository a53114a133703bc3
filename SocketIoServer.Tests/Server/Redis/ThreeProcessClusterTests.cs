using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// Three server processes on one real Redis (issue 7, "shown by" 1), each with clients of its own: a room broadcast
/// reaches every member once, broadcast acknowledgements come from all nodes, fetchSockets and the server count see
/// the whole cluster, server-side events reach the others; a node killed drops out and requests to it end cleanly.
/// </summary>
[TestFixture]
[NonParallelizable] // three processes and a dozen clients: enough for a 2-core machine at a time
public sealed class ThreeProcessClusterTests
{
    private const int ClientsPerNode = 2;

    private string _key = "";
    private List<ClusterNodeProcess> _nodes = [];
    private readonly List<(ClusterNodeProcess Node, TestClient Client, bool InRoom)> _clients = [];

    [SetUp]
    public async Task StartClusterAsync()
    {
        _key = RedisTestServer.NewKey();
        _nodes = [.. await Task.WhenAll(new[] { "A", "B", "C" }.Select(name => ClusterNodeProcess.StartAsync(_key, name)))];
        foreach (var node in _nodes)
        {
            // members of room "r" on every node, one over polling, plus one socket outside it
            for (var i = 0; i < ClientsPerNode; i++)
                _clients.Add((node, await MemberAsync(node, i == 0 ? ClientTransport.Polling : ClientTransport.WebSocket), true));
            var outsider = await TestClient.ConnectAsync(node.Url, ClientTransport.WebSocket, "/", null, "news");
            _clients.Add((node, outsider, false));
        }
    }

    private static async Task<TestClient> MemberAsync(ClusterNodeProcess node, ClientTransport transport)
    {
        var client = await TestClient.ConnectAsync(node.Url, transport, "/", null, "news");
        client.Socket.On("question", r => _ = r.CallbackAsync($"{node.Name}:{client.Id}"));
        await client.AskListAsync("join", (object)new[] { "r" });
        return client;
    }

    [TearDown]
    public async Task StopClusterAsync()
    {
        foreach (var (_, client, _) in _clients) await client.DisposeAsync();
        _clients.Clear();
        foreach (var node in _nodes) await node.DisposeAsync();
    }

    private IEnumerable<TestClient> Members(Func<ClusterNodeProcess, bool>? on = null) =>
        _clients.Where(c => c.InRoom && (on?.Invoke(c.Node) ?? true)).Select(c => c.Client);

    private TestClient SenderOn(ClusterNodeProcess node) => _clients.First(c => c.Node == node && !c.InRoom).Client;

    [Test]
    public async Task ARoomBroadcastFromAnyNode_ReachesEveryMemberOnce_AndNoOneElse()
    {
        foreach (var node in _nodes)
        {
            var text = "from " + node.Name;
            await SenderOn(node).AskAsync("emit-to", new { rooms = new[] { "r" }, @event = "news", args = new object[] { text } });
            foreach (var member in Members()) await member.Events.WaitAsync("news", e => e.ArgsJson == $"[\"{text}\"]");
        }
        await Task.Delay(300); // time for a duplicate to arrive, if one were sent
        Assert.Multiple(() =>
        {
            foreach (var member in Members())
                Assert.That(member.Events.Named("news").Select(e => e.ArgsJson), Is.EquivalentTo(new[] { "[\"from A\"]", "[\"from B\"]", "[\"from C\"]" }));
            foreach (var (_, outsider, _) in _clients.Where(c => !c.InRoom))
                Assert.That(outsider.Events.Count("news"), Is.Zero, "outside the room");
        });
    }

    [Test]
    public async Task ABroadcastWithAck_CollectsTheAnswersOfEveryNode()
    {
        var answer = await SenderOn(_nodes[1]).AskAsync("broadcast-with-ack", new { rooms = new[] { "r" }, @event = "question", timeoutMs = 5000 });

        Assert.That(answer?["ok"]?.GetValue<bool>(), Is.True, answer?.ToJsonString());
        var expected = _clients.Where(c => c.InRoom).Select(c => $"{c.Node.Name}:{c.Client.Id}");
        Assert.That(answer!["responses"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(expected));
    }

    [Test]
    public async Task FetchSocketsAndTheServerCount_SeeTheWholeCluster()
    {
        var sockets = await SenderOn(_nodes[2]).AskListAsync("fetch-sockets", new { rooms = new[] { "r" } });

        var expected = _clients.Where(c => c.InRoom).Select(c => $"{c.Client.Id}@{c.Node.Name}");
        Assert.That(sockets.Select(s => $"{s!["id"]}@{s["data"]!["node"]}"), Is.EquivalentTo(expected));
        Assert.That(sockets.All(s => s!["rooms"]!.AsArray().Any(r => r!.GetValue<string>() == "r")), Is.True);
        foreach (var node in _nodes)
            ServerHelpers.AssertJson(await SenderOn(node).AskAsync("server-count"), "3");
    }

    [Test]
    public async Task AServerSideEmit_ReachesTheOtherNodes_AndGetsTheirAnswers()
    {
        foreach (var node in _nodes)
        {
            var answers = await SenderOn(node).AskListAsync("server-side-emit-with-ack", 5000);
            var others = _nodes.Where(n => n != node).Select(n => n.Name);
            Assert.That(answers.Select(a => a!.GetValue<string>()), Is.EquivalentTo(others), "asked from " + node.Name);
        }
    }

    [Test]
    public async Task AKilledNode_DropsOutOfTheCluster_AndTheOthersGoOn()
    {
        var dead = _nodes[2];
        await dead.KillAsync();

        // Redis sees the killed node's connection close: the count, fetches and requests are those of the two left
        var deadline = DateTime.UtcNow + TestWait.Timeout;
        while ((await SenderOn(_nodes[0]).AskAsync("server-count"))!.GetValue<int>() != 2)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the server count to drop to 2");
            await Task.Delay(100);
        }
        var sockets = await SenderOn(_nodes[0]).AskListAsync("fetch-sockets", new { rooms = new[] { "r" } });
        Assert.That(sockets.Select(s => s!["data"]!["node"]!.GetValue<string>()).Distinct(), Is.EquivalentTo(new[] { "A", "B" }));
        var answers = await SenderOn(_nodes[0]).AskListAsync("server-side-emit-with-ack", 5000);
        Assert.That(answers.Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "B" }));

        await SenderOn(_nodes[1]).AskAsync("emit-to", new { rooms = new[] { "r" }, @event = "news", args = new object[] { "after" } });
        foreach (var member in Members(n => n != dead)) await member.Events.WaitAsync("news", e => e.ArgsJson == "[\"after\"]");
    }
}
