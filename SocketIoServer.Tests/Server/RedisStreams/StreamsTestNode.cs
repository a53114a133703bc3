using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.RedisStreams;
using SocketIoServer.Server.Recovery;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Server.Redis;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// One C# server node on the streams adapter, connection state recovery on: sockets get <c>Data["node"]</c> = the
/// node's name and a <c>join</c> event; the server-side event <c>ping-nodes</c> answers <c>{from, got}</c>. Each test
/// cluster has a stream, channel prefix and session prefix of its own (<see cref="Options"/>).
/// </summary>
public sealed class StreamsTestNode : IClusterTestNode
{
    public required WebApplication App { get; init; }

    public required string Url { get; init; }

    public required RedisStreamsAdapterFactory Factory { get; init; }

    public required RecordingLogger Log { get; init; }

    public IoServer Io => App.Services.GetRequiredService<IoServer>();

    public static RedisStreamsAdapterOptions Options(string key, TimeSpan? requestsTimeout = null) => new()
    {
        StreamName = key,
        ChannelPrefix = key,
        SessionKeyPrefix = key + ":session:",
        BlockTime = TimeSpan.FromSeconds(2),
        RequestsTimeout = requestsTimeout ?? TimeSpan.FromSeconds(5),
    };

    public static async Task<StreamsTestNode> StartAsync(string key, string name = "node", TimeSpan? requestsTimeout = null, string? redisUrl = null)
    {
        var log = new RecordingLogger();
        var factory = await RedisStreamsAdapterFactory.ConnectAsync(redisUrl ?? RedisTestServer.Url, Options(key, requestsTimeout), log);
        var (app, url) = await TestHost.StartAsync(o =>
        {
            o.AdapterFactory = factory.Create;
            o.Engine.PingInterval = TimeSpan.FromSeconds(30);
            o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
        }, io => ClusterTestNodeHandlers.Configure(io, name));
        return new StreamsTestNode { App = app, Url = url, Factory = factory, Log = log };
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

/// <summary>Keeps what the adapter logs, so that a test can see that a bad message was noticed.</summary>
public sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)));

    public bool Has(LogLevel level, string text) => Entries.Any(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal));
}
