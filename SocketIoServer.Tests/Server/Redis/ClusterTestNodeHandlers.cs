using System.Text.Json.Nodes;
using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// What every in-process test node of a cluster serves, whatever its adapter: sockets get <c>Data["node"]</c> = the
/// node's name and a <c>join</c>(room) event with an ack; the server-side event <c>ping-nodes</c> answers
/// <c>{from, got}</c> (as <c>js/cluster/*-peer.mjs</c> do on the Node.js side).
/// </summary>
public static class ClusterTestNodeHandlers
{
    public static void Configure(IoServer io, string name)
    {
        io.OnConnection(socket =>
        {
            socket.Data.TryAdd("node", name);
            socket.On("join", e =>
            {
                socket.Join(e.Arg<string>(0)!);
                e.Ack();
            });
        });
        io.MainNamespace.OnServerSideEvent("ping-nodes", e => e.Ack(new JsonObject { ["from"] = name, ["got"] = e.Args[0]?.DeepClone() }));
    }

    /// <summary>A client of the node at <paramref name="url"/>, in <paramref name="room"/>, recording the events named.</summary>
    public static async Task<TestClient> ClientInRoomAsync(string url, string room, params string[] record)
    {
        var client = await TestClient.ConnectAsync(url, ClientTransport.WebSocket, "/", null, record);
        await client.EmitWithAckAsync("join", room);
        return client;
    }
}
