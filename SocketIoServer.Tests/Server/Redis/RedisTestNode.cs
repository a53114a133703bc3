using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// One C# server node on the Redis adapter: sockets get <c>Data["node"]</c> = the node's name and a <c>join</c> event;
/// the server-side event <c>ping-nodes</c> answers <c>{from, got}</c>.
/// </summary>
public sealed class RedisTestNode : IAsyncDisposable
{
    public required WebApplication App { get; init; }

    public required string Url { get; init; }

    public required RedisAdapterFactory Factory { get; init; }

    public IoServer Io => App.Services.GetRequiredService<IoServer>();

    public static async Task<RedisTestNode> StartAsync(string key, string name = "node", TimeSpan? requestsTimeout = null)
    {
        var factory = await RedisAdapterFactory.ConnectAsync(RedisTestServer.Url,
            new RedisAdapterOptions { Key = key, RequestsTimeout = requestsTimeout ?? TimeSpan.FromSeconds(5) });
        var (app, url) = await TestHost.StartAsync(o => o.AdapterFactory = factory.Create, io =>
        {
            io.OnConnection(socket =>
            {
                socket.Data["node"] = name;
                socket.On("join", e =>
                {
                    socket.Join(e.Arg<string>(0)!);
                    e.Ack();
                });
            });
            io.MainNamespace.OnServerSideEvent("ping-nodes", e => e.Ack(new JsonObject { ["from"] = name, ["got"] = e.Args[0]?.DeepClone() }));
        });
        return new RedisTestNode { App = app, Url = url, Factory = factory };
    }

    /// <summary>A client of this node, in <paramref name="room"/>, recording the events named.</summary>
    public async Task<TestClient> ClientAsync(string room, params string[] record)
    {
        var client = await TestClient.ConnectAsync(Url, ClientTransport.WebSocket, "/", null, record);
        await client.EmitWithAckAsync("join", room);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Factory.DisposeAsync();
    }
}
