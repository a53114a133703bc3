using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Server;

/// <summary>FetchSockets, SocketsJoin, SocketsLeave, DisconnectSockets and RemoteSocket, with A in r1, B in r2, C in both.</summary>
[TestFixture]
public sealed class FetchSocketsTests
{
    private static async Task<ClientGroup> SetUpAsync(InteropApp app, ClientTransport transport)
    {
        var group = await ClientGroup.ConnectAsync(app, transport, ["A", "B", "C", "D"], "bc");
        await group.JoinAsync("A", "r1");
        await group.JoinAsync("B", "r2");
        await group.JoinAsync("C", "r1", "r2");
        return group;
    }

    private static async Task<string[]> RoomsOf(TestClient client) =>
        (await client.AskListAsync("get-rooms")).Select(r => r!.GetValue<string>()).Where(r => r != client.Id).ToArray();

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task FetchSockets_AllInRoomsAndExcept(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);

        var all = await app.Io.FetchSocketsAsync().Within("fetch");
        Assert.That(all.Select(s => s.Id), Is.EquivalentTo(group.Names.Select(n => group[n].Id)));
        var c = all.Single(s => s.Id == group["C"].Id);
        Assert.That(c.Rooms, Is.EquivalentTo(new[] { c.Id, "r1", "r2" }));
        Assert.That(c.Data["name"], Is.EqualTo("C"));
        Assert.That(c.Handshake.Auth["name"]!.GetValue<string>(), Is.EqualTo("C"));

        var inRooms = await app.Io.In("r1", "r2").FetchSocketsAsync().Within("fetch");
        Assert.That(inRooms.Select(s => s.Data["name"]), Is.EquivalentTo(new[] { "A", "B", "C" }), "union, no duplicates");
        var except = await app.Io.In("r1").Except("r2").FetchSocketsAsync().Within("fetch");
        Assert.That(except.Select(s => s.Data["name"]), Is.EquivalentTo(new[] { "A" }));
        var exceptOnly = await app.Io.Except("r1").FetchSocketsAsync().Within("fetch");
        Assert.That(exceptOnly.Select(s => s.Data["name"]), Is.EquivalentTo(new[] { "B", "D" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task FetchSockets_FromAClientEvent(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        var fetched = await group["D"].AskListAsync("fetch-sockets", new { rooms = new[] { "r2" } });
        Assert.That(fetched.Select(s => s!["data"]!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "B", "C" }));
        var b = fetched.Single(s => s!["id"]!.GetValue<string>() == group["B"].Id)!;
        Assert.That(b["rooms"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { group["B"].Id, "r2" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task SocketsJoin_And_SocketsLeave(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);

        await app.Io.In("r1").Except("r2").SocketsJoinAsync("r3", "r4").Within("sockets join");
        Assert.That(await RoomsOf(group["A"]), Is.EquivalentTo(new[] { "r1", "r3", "r4" }));
        Assert.That(await RoomsOf(group["C"]), Is.EquivalentTo(new[] { "r1", "r2" }));

        await app.Io.SocketsJoinAsync("everyone").Within("sockets join");
        foreach (var name in group.Names) Assert.That(await RoomsOf(group[name]), Does.Contain("everyone"), name);

        await app.Io.In("r2").SocketsLeaveAsync("everyone", "r1").Within("sockets leave");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await RoomsOf(group["A"]), Is.EquivalentTo(new[] { "r1", "r3", "r4", "everyone" }));
            Assert.That(await RoomsOf(group["B"]), Is.EquivalentTo(new[] { "r2" }));
            Assert.That(await RoomsOf(group["C"]), Is.EquivalentTo(new[] { "r2" }));
            Assert.That(await RoomsOf(group["D"]), Is.EquivalentTo(new[] { "everyone" }));
        });

        // the rooms really changed: a broadcast to "everyone" now reaches A and D only
        await app.ServerSocket(group["B"]).To("everyone").EmitAsync("bc", 1);
        await group.SyncAsync();
        Assert.That(group.Receivers("bc"), Is.EqualTo(new[] { "A", "D" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task SocketsJoin_FromAClientEvent(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        await group["D"].AskAsync("sockets-join", new { rooms = new[] { "r2" }, target = "joined" });
        await group["D"].AskAsync("sockets-leave", new { rooms = new[] { "r1" }, target = "joined" });
        Assert.That(await RoomsOf(group["B"]), Is.EquivalentTo(new[] { "r2", "joined" }));
        Assert.That(await RoomsOf(group["C"]), Is.EquivalentTo(new[] { "r1", "r2" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task DisconnectSockets_InARoom(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        var ids = group.Names.ToDictionary(n => n, n => group[n].Id);

        await app.Io.In("r1").DisconnectSocketsAsync().Within("disconnect sockets");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await group["A"].Disconnected.Within("A disconnected"), Is.EqualTo("io server disconnect"));
            Assert.That(await group["C"].Disconnected.Within("C disconnected"), Is.EqualTo("io server disconnect"));
            Assert.That(await app.DisconnectReasonAsync(ids["A"]), Is.EqualTo("server namespace disconnect"));
            Assert.That(await app.DisconnectReasonAsync(ids["C"]), Is.EqualTo("server namespace disconnect"));
        });
        Assert.That(app.Io.MainNamespace.Sockets.Keys, Is.EquivalentTo(new[] { ids["B"], ids["D"] }));
        Assert.That(group["B"].Connected && group["D"].Connected, Is.True);
        Assert.That((await group["B"].EmitWithAckAsync("message-with-ack", 1)).ArgsJson, Is.EqualTo("[1]"), "B still works");
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task DisconnectSockets_WithClose_ClosesTheConnections(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        var b = app.ServerSocket(group["B"]);
        var d = app.ServerSocket(group["D"]);

        await app.Io.Except("r1").DisconnectSocketsAsync(close: true).Within("disconnect sockets");
        await TestWait.UntilAsync(() => !b.Client.Connection.IsOpen && !d.Client.Connection.IsOpen, "the connections to close");
        Assert.That(await app.DisconnectReasonAsync(b.Id), Is.EqualTo("server namespace disconnect"));
        Assert.That(await group["B"].Disconnected.Within("B disconnected"), Is.AnyOf("io server disconnect", "transport close"));
        Assert.That(app.Io.MainNamespace.Sockets.Keys, Is.EquivalentTo(new[] { group["A"].Id, group["C"].Id }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task DisconnectSockets_FromAClientEvent(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        var bId = group["B"].Id;
        await group["A"].AskAsync("disconnect-sockets", new { rooms = new[] { "r2" }, except = new[] { "r1" } });
        Assert.That(await group["B"].Disconnected.Within("B disconnected"), Is.EqualTo("io server disconnect"));
        Assert.That(await app.DisconnectReasonAsync(bId), Is.EqualTo("server namespace disconnect"));
        Assert.That(group["C"].Connected, Is.True);
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task RemoteSocket_EmitJoinLeaveDisconnect(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var group = await SetUpAsync(app, transport);
        var remote = (await app.Io.FetchSocketsAsync().Within("fetch")).Single(s => s.Id == group["D"].Id);

        await remote.EmitAsync("bc", "just D").Within("remote emit");
        await group.SyncAsync();
        Assert.That(group.Receivers("bc"), Is.EqualTo(new[] { "D" }));

        await remote.JoinAsync("x").Within("remote join");
        Assert.That(await RoomsOf(group["D"]), Is.EquivalentTo(new[] { "x" }));
        await remote.LeaveAsync("x").Within("remote leave");
        Assert.That(await RoomsOf(group["D"]), Is.Empty);

        await remote.DisconnectAsync().Within("remote disconnect");
        Assert.That(await group["D"].Disconnected.Within("D disconnected"), Is.EqualTo("io server disconnect"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerSideEmit_OnASingleNode_HasNoOtherNodeToAnswer(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        ServerHelpers.AssertJson(await client.AskAsync("server-side-emit"), "0");
        Assert.That(await app.Io.MainNamespace.Adapter.ServerCountAsync(), Is.EqualTo(1));
    }
}
