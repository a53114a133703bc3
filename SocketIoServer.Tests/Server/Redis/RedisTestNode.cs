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
public sealed class RedisTestNode : IClusterTestNode
{
    public required WebApplication App { get; init; }

    public required string Url { get; init; }

    public required RedisAdapterFactory Factory { get; init; }

    public IoServer Io => App.Services.GetRequiredService<IoServer>();

    public static async Task<RedisTestNode> StartAsync(string key, string name = "node", TimeSpan? requestsTimeout = null)
    {
        var factory = await RedisAdapterFactory.ConnectAsync(RedisTestServer.Url,
            new RedisAdapterOptions { Key = key, RequestsTimeout = requestsTimeout ?? TimeSpan.FromSeconds(5) });
        var (app, url) = await TestHost.StartAsync(o => o.AdapterFactory = factory.Create, io => ClusterTestNodeHandlers.Configure(io, name));
        return new RedisTestNode { App = app, Url = url, Factory = factory };
    }

    /// <summary>A client of this node, in <paramref name="room"/>, recording the events named.</summary>
    public Task<TestClient> ClientAsync(string room, params string[] record) => ClusterTestNodeHandlers.ClientInRoomAsync(Url, room, record);

    public ValueTask DropRedisAsync() => Factory.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Factory.DisposeAsync();
    }
}
