using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Server;

/// <summary>Broadcasts with acknowledgements: one answer per receiver, and a timeout carrying the partial answers.</summary>
[TestFixture]
public sealed class BroadcastAckTests
{
    /// <summary>Clients A, B, C (A and B in room "r"); each answers "q" with its name unless listed as silent.</summary>
    private static async Task<Dictionary<string, TestClient>> ConnectAsync(InteropApp app, ClientTransport transport, params string[] silent)
    {
        var clients = new Dictionary<string, TestClient>(StringComparer.Ordinal);
        foreach (var name in new[] { "A", "B", "C" })
        {
            var client = TestClient.Create(app.Url, transport, auth: new { name }).Record("q");
            if (!silent.Contains(name)) client.Socket.On("q", r => _ = r.CallbackAsync(name, r.GetValue<int>(0) * 2));
            await client.ConnectAsync();
            clients[name] = client;
        }
        await clients["A"].AskListAsync("join", new object[] { new[] { "r" } });
        await clients["B"].AskListAsync("join", new object[] { new[] { "r" } });
        return clients;
    }

    private static async Task DisposeAllAsync(Dictionary<string, TestClient> clients)
    {
        foreach (var client in clients.Values) await client.DisposeAsync();
    }

    private static string[] Names(IReadOnlyList<System.Text.Json.Nodes.JsonNode?> responses) =>
        responses.Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task AllAnswer_EveryResponseIsCollected(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport);
        try
        {
            var responses = await app.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("q", 21).Within("broadcast acks");
            Assert.That(Names(responses), Is.EqualTo(new[] { "A", "B", "C" }));
            Assert.That(responses, Has.Count.EqualTo(3), "one response per client: its first ack argument, as Node.js");
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ToRoom_CollectsOnlyThatRoomsAnswers(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport);
        try
        {
            var responses = await app.Io.To("r").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("q", 1).Within("broadcast acks");
            Assert.That(Names(responses), Is.EqualTo(new[] { "A", "B" }));
            Assert.That(clients["C"].Events.Count("q"), Is.Zero);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task FromSocket_ExcludesTheSender_AllAnswer(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport);
        try
        {
            var responses = await app.ServerSocket(clients["A"]).Broadcast.Timeout(TimeSpan.FromSeconds(5))
                .EmitWithAckAsync("q", 1).Within("broadcast acks");
            Assert.That(Names(responses), Is.EqualTo(new[] { "B", "C" }));
            Assert.That(clients["A"].Events.Count("q"), Is.Zero);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task OneSilentClient_TimesOutWithThePartialResponses(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport, "B");
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var broadcast = app.ServerSocket(clients["C"]).Broadcast.Timeout(TimeSpan.FromMilliseconds(500)).EmitWithAckAsync("q", 1);
            var timeout = Assert.ThrowsAsync<BroadcastAckTimeoutException>(async () => await broadcast.Within("broadcast ack timeout"));
            Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450)));
            Assert.That(Names(timeout!.Responses), Is.EqualTo(new[] { "A" }), "A answered, B stayed silent");
            Assert.That(clients["B"].Events.Count("q"), Is.EqualTo(1), "B did receive the question");
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task WithoutTimeout_CompletesWhenAllAnswered(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport);
        try
        {
            var responses = await app.ServerSocket(clients["C"]).To("r").EmitWithAckAsync("q", 1).Within("broadcast acks");
            Assert.That(Names(responses), Is.EqualTo(new[] { "A", "B" }));
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task NoReceivers_CompletesAtOnceWithNoResponses(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport);
        try
        {
            var responses = await app.ServerSocket(clients["A"]).To("empty-room").Timeout(TimeSpan.FromSeconds(5))
                .EmitWithAckAsync("q", 1).Within("an empty broadcast", TimeSpan.FromSeconds(2));
            Assert.That(responses, Is.Empty);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task DrivenByAClient_BroadcastWithAckEvent(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var clients = await ConnectAsync(app, transport, "C");
        try
        {
            var all = await clients["A"].AskAsync("broadcast-with-ack", new { rooms = new[] { "r" }, @event = "q", args = new object[] { 5 }, timeoutMs = 3000 });
            ServerHelpers.AssertJson(all?["ok"], "true");
            Assert.That(all!["responses"]!.AsArray().Select(r => r!.GetValue<string>()).Order(), Is.EqualTo(new[] { "A", "B" }));

            var partial = await clients["A"].AskAsync("broadcast-with-ack", new { @event = "q", args = new object[] { 5 }, timeoutMs = 300, fromSocket = true });
            ServerHelpers.AssertJson(partial?["ok"], "false");
            Assert.That(partial!["responses"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "B" }));
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }
}
