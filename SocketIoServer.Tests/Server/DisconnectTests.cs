using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Interop;
using ClientReason = SocketIOClient.DisconnectReason;

namespace SocketIoServer.Tests.Server;

/// <summary>Who disconnects whom, and the reason each side reports (Node.js's strings on the server).</summary>
[TestFixture]
public sealed class DisconnectTests
{
    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ClientDisconnect_ServerSeesClientNamespaceDisconnect(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var id = client.Id;

        await client.DisconnectAsync();
        Assert.That(await client.Disconnected.Within("client disconnect event"), Is.EqualTo(ClientReason.IOClientDisconnect));
        Assert.That(await app.DisconnectReasonAsync(id), Is.EqualTo(DisconnectReason.ClientNamespaceDisconnect));
        Assert.That(app.Io.MainNamespace.Sockets.ContainsKey(id), Is.False);
    }

    [Test]
    public async Task JoiningAfterTheDisconnect_DoesNothing_AsInNode()
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, ClientTransport.WebSocket);
        var socket = app.ServerSocket(client);
        await client.DisconnectAsync();
        await app.DisconnectReasonAsync(client.Id);

        socket.Join("late-room");
        Assert.Multiple(() =>
        {
            Assert.That(socket.Rooms, Is.Empty);
            Assert.That(app.Io.MainNamespace.Adapter.Rooms.ContainsKey("late-room"), Is.False, "no ghost member left in the room");
        });
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerDisconnect_ServerNamespaceDisconnect_ClientSeesIoServerDisconnect(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        await using var witness = await TestClient.ConnectAsync(app.Url, transport);
        var id = client.Id;

        await client.EmitAsync("disconnect-me", false);
        Assert.That(await client.Disconnected.Within("client disconnect event"), Is.EqualTo(ClientReason.IOServerDisconnect));
        Assert.That(await app.DisconnectReasonAsync(id), Is.EqualTo(DisconnectReason.ServerNamespaceDisconnect));
        ServerHelpers.AssertJson(await witness.AskAsync("get-disconnect-reason", id), "\"server namespace disconnect\"");
        // (the package then closes its transport itself, so the connection's fate is checked raw below)
    }

    [Test]
    public async Task ServerDisconnect_WithoutClose_KeepsTheEngineConnectionForAnotherConnect()
    {
        await using var app = await InteropApp.StartAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40");
        var first = System.Text.Json.Nodes.JsonNode.Parse((await raw.ReceiveSocketIoAsync())[1..])!["sid"]!.GetValue<string>();

        await raw.SendAsync("42[\"disconnect-me\",false]");
        Assert.That(await raw.ReceiveSocketIoAsync(p => p.StartsWith('1')), Is.EqualTo("1"), "DISCONNECT for /");
        Assert.That(await app.DisconnectReasonAsync(first), Is.EqualTo(DisconnectReason.ServerNamespaceDisconnect));

        await raw.SendAsync("40");
        var second = System.Text.Json.Nodes.JsonNode.Parse((await raw.ReceiveSocketIoAsync(p => p.StartsWith('0')))[1..])!["sid"]!.GetValue<string>();
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(raw.Closed.IsCompleted, Is.False);
        Assert.That(app.Io.MainNamespace.Sockets.Keys, Is.EquivalentTo(new[] { second }));
    }

    [Test]
    public async Task ServerDisconnectWithClose_SendsDisconnectThenClosesTheWebSocket()
    {
        await using var app = await InteropApp.StartAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40");
        await raw.ReceiveSocketIoAsync();
        await raw.SendAsync("42[\"disconnect-me\",true]");
        Assert.That(await raw.ReceiveSocketIoAsync(p => p.StartsWith('1')), Is.EqualTo("1"));
        await raw.Closed.Within("the WebSocket to close");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerDisconnectWithClose_ClosesTheConnection(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var id = client.Id;
        var connection = app.ServerSocket(client).Client.Connection;

        await client.EmitAsync("disconnect-me", true);
        Assert.That(await client.Disconnected.Within("client disconnect event"), Is.EqualTo(ClientReason.IOServerDisconnect));
        Assert.That(await app.DisconnectReasonAsync(id), Is.EqualTo(DisconnectReason.ServerNamespaceDisconnect));
        await TestWait.UntilAsync(() => !connection.IsOpen, "the Engine.IO connection to close");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerShutdown_ServerShuttingDown(ClientTransport transport)
    {
        var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var socket = app.ServerSocket(client);
        var reason = TestWait.Source<string>();
        socket.Disconnected += (_, r) => reason.TrySetResult(r);

        var stopping = app.DisposeAsync().AsTask();
        Assert.That(await reason.Task.Within("the server-side disconnect while stopping"), Is.EqualTo(DisconnectReason.ServerShuttingDown));
        await stopping.Within("the server to stop");
        Assert.That(await client.Disconnected.Within("the client to notice"), Is.EqualTo(ClientReason.TransportClose));
    }

    [Test]
    public async Task PingTimeout_WhenTheClientStopsAnsweringPings()
    {
        await using var app = await InteropApp.StartAsync(); // pingInterval 1 s, pingTimeout 1 s
        var disconnect = app.NextDisconnectAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url, answerPings: false);
        await raw.SendAsync("40");
        Assert.That(await raw.ReceiveSocketIoAsync(), Does.StartWith("0{\"sid\":"));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (_, reason) = await disconnect.Within("the ping timeout");
        Assert.That(reason, Is.EqualTo(DisconnectReason.PingTimeout));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(raw.PingsReceived, Is.GreaterThanOrEqualTo(1));
        await raw.Closed.Within("the server to close the WebSocket");
    }

    [Test]
    public async Task AnsweringPings_KeepsTheConnectionAlive()
    {
        await using var app = await InteropApp.StartAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url, answerPings: true);
        await raw.SendAsync("40");
        var sid = System.Text.Json.Nodes.JsonNode.Parse((await raw.ReceiveSocketIoAsync())[1..])!["sid"]!.GetValue<string>();
        await Task.Delay(TimeSpan.FromSeconds(3.5)); // well past pingInterval + pingTimeout
        Assert.That(raw.PingsReceived, Is.GreaterThanOrEqualTo(2));
        Assert.That(app.Io.MainNamespace.Sockets.ContainsKey(sid), Is.True);
    }

    [TestCase(true, TestName = "TransportClose_WhenTheClientDropsTheConnection(abrupt)")]
    [TestCase(false, TestName = "TransportClose_WhenTheClientDropsTheConnection(close handshake)")]
    public async Task TransportClose_WhenTheClientDropsTheConnection(bool abrupt)
    {
        await using var app = await InteropApp.StartAsync();
        var disconnect = app.NextDisconnectAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40");
        await raw.ReceiveSocketIoAsync();

        if (abrupt) raw.Abort();
        else await raw.CloseAsync();
        var (_, reason) = await disconnect.Within("the server to notice");
        Assert.That(reason, Is.EqualTo(DisconnectReason.TransportClose));
    }

    [Test]
    public async Task TransportClose_WhenAPollingClientSendsTheClosePacket()
    {
        await using var app = await InteropApp.StartAsync();
        var disconnect = app.NextDisconnectAsync();
        using var raw = await RawPollingClient.OpenAsync(app.Url);
        await raw.PostAsync("40");
        Assert.That((await raw.PollAsync())[0], Does.StartWith("40{"));
        await raw.PostAsync("1");
        var (_, reason) = await disconnect.Within("the server to notice");
        Assert.That(reason, Is.EqualTo(DisconnectReason.TransportClose));
    }

    [Test]
    public async Task ForcedServerClose_WhenThePeerSendsForANamespaceItDidNotJoin()
    {
        await using var app = await InteropApp.StartAsync();
        var disconnect = app.NextDisconnectAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40");
        await raw.ReceiveSocketIoAsync();

        await raw.SendAsync("42/custom,[\"message\",1]");
        var (_, reason) = await disconnect.Within("the server to close");
        Assert.That(reason, Is.EqualTo(DisconnectReason.ForcedServerClose));
        await raw.Closed.Within("the WebSocket to close");
    }

    [Test]
    public async Task ParseError_OnAMalformedPacket()
    {
        await using var app = await InteropApp.StartAsync();
        var disconnect = app.NextDisconnectAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40");
        await raw.ReceiveSocketIoAsync();

        await raw.SendAsync("42[\"unterminated");
        var (_, reason) = await disconnect.Within("the server to close");
        Assert.That(reason, Is.EqualTo(DisconnectReason.ParseError));
        await raw.Closed.Within("the WebSocket to close");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Disconnecting_SeesTheRooms_Disconnected_DoesNot(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var seen = TestWait.Source<(string Reason, string[] RoomsWhileDisconnecting, string[] RoomsAfter, bool InRoomR1, int R1CountWhileDisconnecting)>();
        app.Io.Of("/rooms").OnConnection(socket =>
        {
            socket.Join("r1", "r2");
            string[] during = [];
            var r1Count = -1;
            socket.Disconnecting += (s, _) =>
            {
                during = s.Rooms.Order(StringComparer.Ordinal).ToArray();
                r1Count = s.Namespace.Adapter.Rooms.GetValueOrDefault("r1");
            };
            socket.Disconnected += (s, reason) => seen.TrySetResult((reason, during, s.Rooms.ToArray(),
                s.Namespace.Adapter.Rooms.ContainsKey("r1"), r1Count));
        });
        await using var client = await TestClient.ConnectAsync(app.Url, transport, "/rooms");
        var id = client.Id;

        await client.DisconnectAsync();
        var result = await seen.Task.Within("the server's disconnect events");
        Assert.Multiple(() =>
        {
            Assert.That(result.Reason, Is.EqualTo(DisconnectReason.ClientNamespaceDisconnect));
            Assert.That(result.RoomsWhileDisconnecting, Is.EquivalentTo(new[] { id, "r1", "r2" }));
            Assert.That(result.R1CountWhileDisconnecting, Is.EqualTo(1));
            Assert.That(result.RoomsAfter, Is.Empty);
            Assert.That(result.InRoomR1, Is.False, "the room is gone once its only member left");
        });
    }

    [Test]
    public async Task ConnectTimeout_ClosesAConnectionThatNeverJoinsANamespace()
    {
        await using var app = await InteropApp.StartAsync(configure: o =>
        {
            o.ConnectTimeout = TimeSpan.FromMilliseconds(500);
            o.Engine.PingInterval = TimeSpan.FromSeconds(20); // so only the connect timeout can close it
            o.Engine.PingTimeout = TimeSpan.FromSeconds(20);
        });
        await using var silent = await RawEngineClient.ConnectAsync(app.Url);
        await using var joined = await RawEngineClient.ConnectAsync(app.Url);
        await joined.SendAsync("40");
        await joined.ReceiveSocketIoAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        await silent.Closed.Within("the connect timeout", TimeSpan.FromSeconds(5));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        // the client may see the close frame a moment before the server has forgotten the session
        Assert.That(() => app.Io.Engine.ClientsCount, Is.EqualTo(1).After(2000, 20), "only the joined connection remains");
        await Task.Delay(700);
        Assert.That(joined.Closed.IsCompleted, Is.False, "a connection that joined a namespace is kept");
    }

    [Test]
    public async Task ConnectTimeout_AlsoClosesAConnectionWhoseOnlyConnectWasRefused()
    {
        await using var app = await InteropApp.StartAsync(configure: o =>
        {
            o.ConnectTimeout = TimeSpan.FromMilliseconds(500);
            o.Engine.PingInterval = TimeSpan.FromSeconds(20);
            o.Engine.PingTimeout = TimeSpan.FromSeconds(20);
        });
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40/refused,");
        Assert.That(await raw.ReceiveSocketIoAsync(), Does.StartWith("4/refused,"));
        await raw.Closed.Within("the connect timeout", TimeSpan.FromSeconds(5));
    }
}
