using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Server;

/// <summary>
/// Rooms and every broadcast operator, with exact "who got what" checks. Four clients: A in r1, B in r2, C in r1
/// and r2, D in no room. After each broadcast a per-socket sentinel (<see cref="ClientGroup.SyncAsync"/>) proves
/// that nothing else is still on its way, so missing and duplicate deliveries are both caught.
/// </summary>
[TestFixture]
public sealed class RoomsAndBroadcastTests
{
    private static readonly string[] Names = ["A", "B", "C", "D"];

    private static async Task<ClientGroup> SetUpAsync(InteropApp app, ClientTransport transport)
    {
        var group = await ClientGroup.ConnectAsync(app, transport, Names, "bc");
        await group.JoinAsync("A", "r1");
        await group.JoinAsync("B", "r2");
        await group.JoinAsync("C", "r1", "r2");
        return group;
    }

    private static async Task<string[]> ReceiversAfterSync(ClientGroup group)
    {
        await group.SyncAsync();
        return group.Receivers("bc");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task JoinLeaveAndGetRooms(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        var c = group["C"];

        var rooms = await c.AskListAsync("get-rooms");
        Assert.That(rooms.Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { c.Id, "r1", "r2" }));

        await c.AskAsync("leave", "r1");
        rooms = await c.AskListAsync("get-rooms");
        Assert.That(rooms.Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { c.Id, "r2" }));
        Assert.That(app.Io.MainNamespace.Adapter.Rooms["r1"], Is.EqualTo(1), "only A left in r1");
        Assert.That(app.Io.MainNamespace.Adapter.Rooms["r2"], Is.EqualTo(2));

        await group["A"].AskAsync("leave", "r1");
        Assert.That(app.Io.MainNamespace.Adapter.Rooms.ContainsKey("r1"), Is.False, "an empty room is deleted");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ArrayAcks_AreOneArgument(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var joined = await client.EmitWithAckAsync("join", new object[] { new[] { "r1" } });
        var rooms = await client.EmitWithAckAsync("get-rooms");
        Assert.Multiple(() =>
        {
            ServerHelpers.AssertJson(joined.Args, """[["r1"]]""", "join");
            Assert.That(rooms.Args, Has.Count.EqualTo(1), $"get-rooms answered {rooms.ArgsJson}");
        });
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerWideEmit_ReachesEverySocketOfTheNamespaceOnce(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await using var other = await TestClient.ConnectAsync(app.Url, transport, "/custom", record: "bc");

        await app.Io.EmitAsync("bc", "all");
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "B", "C", "D" }));
        Assert.That(group["A"].Events.Named("bc").Single().ArgsJson, Is.EqualTo("""["all"]"""));

        await app.Io.Of("/custom").EmitAsync("bc", "custom"); // the /custom client's barrier
        Assert.That((await other.Events.WaitAsync("bc")).ArgsJson, Is.EqualTo("""["custom"]"""),
            "the main namespace's emit must not reach /custom");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task To_OneRoom(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.To("r1").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "C" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task To_SeveralRooms_IsTheUnion_WithoutDuplicates(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.To("r1", "r2").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "B", "C" }), "C is in both rooms and gets it once");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task To_Chained_And_In_AccumulateRooms(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.To("r1").In("r2").To("r1", "nobody-here").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "B", "C" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task To_SocketIdRoom_ReachesThatSocketOnly(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.To(group["D"].Id).EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "D" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Except_Alone_ExcludesTheRoomFromEveryone(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.Except("r2").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "D" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task To_WithExcept_RemovesMembersOfExceptedRooms(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.To("r1").Except("r2").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A" }), "C is in r1 but also in r2");

        await app.Io.To("r1", "r2").Except(group["A"].Id, group["B"].Id).EmitAsync("bc", 2);
        await group.SyncAsync();
        Assert.That(group["C"].Events.Named("bc").Select(e => e.ArgsJson), Is.EqualTo(new[] { "[2]" }));
        Assert.That(group.Receivers("bc"), Is.EqualTo(new[] { "A", "C" }), "second broadcast reached C only");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task SocketBroadcast_ExcludesTheSender(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.ServerSocket(group["A"]).Broadcast.EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "B", "C", "D" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task SocketTo_RoomTheSenderIsIn_ExcludesTheSender(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.ServerSocket(group["C"]).To("r1", "r2").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "B" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task SocketExcept_ExcludesTheSenderAndTheRoom(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.ServerSocket(group["D"]).Except("r1").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "B" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task EmitTo_FromAClientEvent_WithFromSocket(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        // through the interop server's "emit-to" handler, as the JavaScript suite drives it
        await group["A"].AskAsync("emit-to", new { rooms = new[] { "r1", "r2" }, except = Array.Empty<string>(), @event = "bc", args = new object[] { "x", 1 }, fromSocket = true });
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "B", "C" }));
        Assert.That(group["B"].Events.Named("bc").Single().ArgsJson, Is.EqualTo("""["x",1]"""));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task EmitTo_FromAClientEvent_ServerWideWithExcept(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await group["A"].AskAsync("emit-to", new { except = new[] { "r2" }, @event = "bc", args = new object[] { true } });
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "D" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Local_WithTheInMemoryAdapter_IsAnOrdinaryBroadcast(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await app.Io.Local.To("r2").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "B", "C" }));
        await app.ServerSocket(group["B"]).Broadcast.Local.EmitAsync("bc", 2);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "B", "C", "C", "D" }));
    }

    [Test]
    public async Task Volatile_OverWebSocket_IdleReceiversGetIt()
    {
        // an idle WebSocket is always writable, so a volatile packet is delivered (not dropped)
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, ClientTransport.WebSocket);
        await app.Io.Volatile.To("r1").EmitAsync("bc", 1);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "C" }));
        await app.ServerSocket(group["A"]).Broadcast.Volatile.Except("r2").EmitAsync("bc", 2);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "C", "D" }));
        Assert.That(app.ServerSocket(group["A"]).Volatile.Emit("bc", 3), Is.True);
        Assert.That(await ReceiversAfterSync(group), Is.EqualTo(new[] { "A", "A", "C", "D" }));
    }

    [Test]
    public async Task Volatile_OverPolling_NeverDuplicatesAndRespectsTargets()
    {
        // over polling a volatile packet goes out only when a GET is waiting: each target gets it at most once,
        // non-targets never
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, ClientTransport.Polling);
        for (var i = 0; i < 5; i++) await app.ServerSocket(group["D"]).Broadcast.Volatile.To("r1").EmitAsync("bc", i);
        await group.SyncAsync();
        Assert.Multiple(() =>
        {
            Assert.That(group["B"].Events.Count("bc") + group["D"].Events.Count("bc"), Is.Zero);
            foreach (var name in new[] { "A", "C" })
            {
                var values = group[name].Events.Named("bc").Select(e => e.Args[0]!.GetValue<int>()).ToList();
                Assert.That(values, Is.Unique.And.Ordered, name);
            }
        });
    }

    [Test]
    public async Task Volatile_IsDroppedWhenNoPollIsWaiting_WhileNormalPacketsAreQueued()
    {
        await using var app = await InteropApp.StartAsync();
        using var raw = await RawPollingClient.OpenAsync(app.Url);
        await raw.PostAsync("40");
        var first = await raw.PollAsync();
        var connect = first[0];
        Assert.That(connect, Does.StartWith("40{"));
        Assert.That(first.Skip(1), Is.EqualTo(new[] { "42[\"auth\",{}]" }), "the interop server's welcome event");
        var sid = JsonNode.Parse(connect[2..])!["sid"]!.GetValue<string>();
        var socket = app.Io.MainNamespace.Sockets[sid];

        // no GET outstanding now: the volatile packets are dropped, the normal one waits for the next GET
        Assert.That(socket.Volatile.Emit("volatile", 1), Is.False, "a dropped volatile emit reports false");
        Assert.That(socket.Volatile.Timeout(TimeSpan.FromSeconds(1)).Emit("volatile", 2), Is.False);
        Assert.That(socket.Emit("normal", 3), Is.True);
        var packets = await raw.PollAsync();
        Assert.That(packets, Is.EqualTo(new[] { "42[\"normal\",3]" }));
    }
}
