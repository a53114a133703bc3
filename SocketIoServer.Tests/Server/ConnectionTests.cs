using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Server;

/// <summary>Connecting with the SocketIOClient package: auth, handshake, middlewares, namespaces.</summary>
[TestFixture]
public sealed class ConnectionTests
{
    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.All))]
    public async Task Connect_EchoesAuthPayload_AndReportsTransport(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var auth = new { name = "alice", n = 1, nested = new { list = new[] { 1, 2 }, emoji = "🎉" } };
        await using var client = await TestClient.ConnectAsync(app.Url, transport, auth: auth);

        var echoed = await client.Events.WaitAsync("auth");
        Assert.That(JsonNode.DeepEquals(echoed.Args[0], JsonNode.Parse("""{"name":"alice","n":1,"nested":{"list":[1,2],"emoji":"🎉"}}""")),
            Is.True, echoed.ArgsJson);

        var socket = app.ServerSocket(client);
        Assert.Multiple(() =>
        {
            Assert.That(client.Id, Is.Not.Empty);
            Assert.That(socket.IsConnected, Is.True);
            Assert.That(socket.Transport, Is.EqualTo(transport.ServerName()));
            Assert.That(socket.Data["name"], Is.EqualTo("alice"));
            Assert.That(socket.Rooms, Is.EquivalentTo(new[] { client.Id }), "a socket starts in its own room only");
        });
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Connect_WithoutAuth_EchoesEmptyObject(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var echoed = await client.Events.WaitAsync("auth");
        Assert.That(echoed.ArgsJson, Is.EqualTo("[{}]"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Handshake_CarriesQueryAuthAndTransport(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = TestClient.Create(app.Url, transport, auth: new { token = "t" },
            query: [new("custom", "value"), new("n", "1")]);
        await client.ConnectAsync();

        var handshake = (await client.AskAsync("get-handshake"))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(handshake["query"]!["custom"]!.GetValue<string>(), Is.EqualTo("value"));
            Assert.That(handshake["query"]!["n"]!.GetValue<string>(), Is.EqualTo("1"));
            Assert.That(handshake["query"]!["EIO"]!.GetValue<string>(), Is.EqualTo("4"));
            Assert.That(handshake["auth"]!.ToJsonString(), Is.EqualTo("""{"token":"t"}"""));
            Assert.That(handshake["transport"]!.GetValue<string>(), Is.EqualTo(transport.ServerName()));
            Assert.That(handshake["secure"]!.GetValue<bool>(), Is.False);
            Assert.That(handshake["url"]!.GetValue<string>(), Does.StartWith("/socket.io/"));
            Assert.That(handshake["issued"]!.GetValue<long>(),
                Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(60_000));
        });
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Middleware_Refusal_GivesClientTheMessage(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = TestClient.Create(app.Url, transport, "/refused");

        // SocketIOClient 3.0.6 surfaces only CONNECT_ERROR's "message" (OnError); its "data" is checked raw below
        var message = await client.ConnectExpectingErrorAsync();
        Assert.That(message, Is.EqualTo("not authorized"));
        Assert.That(client.Connected, Is.False);
        Assert.That(app.Io.Of("/refused").Sockets, Is.Empty);
    }

    [Test]
    public async Task Middleware_Refusal_SendsMessageAndData_OnTheWire()
    {
        await using var app = await InteropApp.StartAsync();
        await using var raw = await RawEngineClient.ConnectAsync(app.Url);
        await raw.SendAsync("40/refused,");

        var packet = await raw.ReceiveSocketIoAsync();
        Assert.That(packet, Does.StartWith("4/refused,"), "CONNECT_ERROR for /refused");
        var payload = JsonNode.Parse(packet["4/refused,".Length..]);
        Assert.That(JsonNode.DeepEquals(payload, JsonNode.Parse("""{"message":"not authorized","data":{"code":"E_REFUSED"}}""")),
            Is.True, packet);
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task AsyncMiddleware_AcceptsGoodToken_RefusesBadOne(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();

        await using var good = await TestClient.ConnectAsync(app.Url, transport, "/slow-auth", new { token = "good" });
        var echoed = await good.Events.WaitAsync("auth");
        Assert.That(echoed.ArgsJson, Is.EqualTo("""[{"token":"good"}]"""));

        await using var bad = TestClient.Create(app.Url, transport, "/slow-auth", new { token = "bad" });
        Assert.That(await bad.ConnectExpectingErrorAsync(), Is.EqualTo("bad token"));
        await using var none = TestClient.Create(app.Url, transport, "/slow-auth");
        Assert.That(await none.ConnectExpectingErrorAsync(), Is.EqualTo("bad token"));
        Assert.That(app.Io.Of("/slow-auth").Sockets.Keys, Is.EquivalentTo(new[] { good.Id }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task UnknownNamespace_IsRefused(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = TestClient.Create(app.Url, transport, "/nowhere");
        Assert.That(await client.ConnectExpectingErrorAsync(), Is.EqualTo("Invalid namespace"));
        Assert.That(app.Io.Namespaces.ContainsKey("/nowhere"), Is.False);
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task DynamicNamespace_MatchingNameIsCreated_OthersRefused(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, "/dynamic-42");
        var echoed = await client.Events.WaitAsync("auth");
        Assert.That(echoed.ArgsJson, Is.EqualTo("""[{"nsp":"/dynamic-42"}]"""));
        Assert.That(app.Io.Namespaces.ContainsKey("/dynamic-42"), Is.True);
        Assert.That(app.Io.Of("/dynamic-42").Parent, Is.Not.Null);

        await using var refused = TestClient.Create(app.Url, transport, "/dynamic-abc");
        Assert.That(await refused.ConnectExpectingErrorAsync(), Is.EqualTo("Invalid namespace"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task DynamicNamespace_ParentEmit_ReachesEveryChild_Only(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        var parent = app.Io.Of(new Regex("^/team-\\d+$"));
        parent.OnConnection(s => s.Emit("welcome", s.Namespace.Name));

        await using var one = await TestClient.ConnectAsync(app.Url, transport, "/team-1", record: ["welcome", "all-teams"]);
        await using var two = await TestClient.ConnectAsync(app.Url, transport, "/team-2", record: ["welcome", "all-teams"]);
        await using var main = await TestClient.ConnectAsync(app.Url, transport, "/", record: ["all-teams"]);
        Assert.That((await one.Events.WaitAsync("welcome")).ArgsJson, Is.EqualTo("""["/team-1"]"""));
        Assert.That((await two.Events.WaitAsync("welcome")).ArgsJson, Is.EqualTo("""["/team-2"]"""));
        Assert.That(parent.Children.Select(c => c.Name), Is.EquivalentTo(new[] { "/team-1", "/team-2" }));

        await parent.EmitAsync("all-teams", 7);
        await one.Events.WaitAsync("all-teams");
        await two.Events.WaitAsync("all-teams");
        await app.Io.EmitAsync("all-teams", 8); // main namespace only: a barrier for "main"
        var mainGot = await main.Events.WaitAsync("all-teams");
        Assert.That(mainGot.ArgsJson, Is.EqualTo("[8]"), "the parent's emit must not reach the main namespace");
        Assert.That(one.Events.Count("all-teams") + two.Events.Count("all-teams"), Is.EqualTo(2));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task TwoNamespaces_AreIndependent(ClientTransport transport)
    {
        // SocketIOClient 3.0.6 has no shared Manager: one client (one Engine.IO session) per namespace
        await using var app = await InteropApp.StartAsync();
        await using var main = await TestClient.ConnectAsync(app.Url, transport, "/", new { name = "main" }, "message-back", "news");
        await using var custom = await TestClient.ConnectAsync(app.Url, transport, "/custom", new { name = "custom" }, "message-back", "news");

        await custom.EmitAsync("message", "to custom");
        Assert.That((await custom.Events.WaitAsync("message-back")).ArgsJson, Is.EqualTo("""["to custom"]"""));
        await main.EmitAsync("message", "to main");
        Assert.That((await main.Events.WaitAsync("message-back")).ArgsJson, Is.EqualTo("""["to main"]"""));

        await app.Io.Of("/custom").EmitAsync("news", "custom only");
        await app.Io.EmitAsync("news", "main only");
        Assert.That((await custom.Events.WaitAsync("news")).ArgsJson, Is.EqualTo("""["custom only"]"""));
        Assert.That((await main.Events.WaitAsync("news")).ArgsJson, Is.EqualTo("""["main only"]"""));
        await custom.AskAsync("get-rooms"); // round trip: nothing else is on its way
        await main.AskAsync("get-rooms");
        Assert.Multiple(() =>
        {
            Assert.That(custom.Events.Count("message-back") + custom.Events.Count("news"), Is.EqualTo(2));
            Assert.That(main.Events.Count("message-back") + main.Events.Count("news"), Is.EqualTo(2));
            Assert.That(app.Io.Of("/custom").Sockets.Keys, Is.EquivalentTo(new[] { custom.Id }));
            Assert.That(app.Io.MainNamespace.Sockets.Keys, Is.EquivalentTo(new[] { main.Id }));
        });
    }

    /// <summary>
    /// A connection handler that registers its event handler only after the client has already sent its first
    /// event (the test releases it once the emit went out, plus 200 ms for delivery): Node.js guarantees such an
    /// event is seen, since the connection handler runs in the same tick as the CONNECT packet is sent.
    /// </summary>
    private static async Task<string> FirstEventAfterSlowConnectionHandlerAsync(InteropApp app, ClientTransport transport, string nsp)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Io.Of(nsp).OnConnection(socket =>
        {
            sent.Task.Wait(TestWait.Timeout); // a slow synchronous connection handler
            Thread.Sleep(200);
            socket.On("early", e => e.Ack("got it"));
        });
        await using var client = TestClient.Create(app.Url, transport, nsp);
        await client.ConnectAsync();
        var answer = TestWait.Source<string>();
        await client.Socket.EmitAsync("early", r => answer.TrySetResult(r.ToString())).Within("emit early");
        sent.TrySetResult();
        return await answer.Task.Within("the acknowledgement of the first event");
    }

    // WebSocket only: over polling the POST carrying "early" waits for the POST carrying CONNECT, whose handler is
    // blocked waiting for "early" to have been sent: a deadlock of the test's own making (POSTs are handled in order).
    [TestCase(ClientTransport.WebSocket)]
    public async Task HandlersRegisteredInOnConnection_SeeTheFirstEvent_SyncMiddleware(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        app.Io.Of("/sync-mw").Use(_ => { });
        Assert.That(await FirstEventAfterSlowConnectionHandlerAsync(app, transport, "/sync-mw"), Is.EqualTo("""["got it"]"""));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task HandlersRegisteredInOnConnection_SeeTheFirstEvent_AsyncMiddleware(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        app.Io.Of("/async-mw").Use(async (_, ct) => await Task.Delay(50, ct));
        Assert.That(await FirstEventAfterSlowConnectionHandlerAsync(app, transport, "/async-mw"), Is.EqualTo("""["got it"]"""));
    }
}
