using SocketIoServer.Server.Adapters.Redis;
using SocketIoServer.Server.Adapters.RedisStreams;
using SocketIoServer.Engine;
using SocketIoServer.Hosting;
using SocketIoServer.Server;

namespace SocketIoServer.Fixture;

/// <summary>
/// The protocol fixture: the reference server of the official Engine.IO and Socket.IO test suites, plus the
/// events of CONTRACTS.md section 2. Conformance runs and benchmarks talk to it.
/// </summary>
public static class FixtureApp
{
    public static WebApplication Build(IReadOnlyList<string> args)
    {
        var options = FixtureOptions.Parse(args);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k =>
        {
            if (!options.KestrelWebSockets) k.UseSocketIoWebSockets();
            k.ListenAnyIP(options.Port);
            k.AddServerHeader = false;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // the cluster's Redis connection, made before the server starts and closed after it stopped
        var redis = options.RedisUrl is { } redisUrl ? RedisAdapterFactory.Connect(redisUrl, new() { Key = options.RedisKey }) : null;
        // (made before the host, so its log, of stream entries skipped and reads retried, goes to a console logger of its
        // own, disposed with the app)
        var streamsLogs = options.RedisStreamsUrl is null ? null : LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var streams = options.RedisStreamsUrl is { } streamsUrl
            ? RedisStreamsAdapterFactory.Connect(streamsUrl, new() { StreamName = options.RedisKey, ChannelPrefix = options.RedisKey },
                streamsLogs!.CreateLogger<RedisStreamsAdapterFactory>())
            : null;
        builder.Services.AddSocketIo(o =>
        {
            Configure(o, options);
            if (redis is not null) o.AdapterFactory = redis.Create;
            if (streams is not null) o.AdapterFactory = streams.Create;
        });

        var app = builder.Build();
        if (redis is not null) app.Lifetime.ApplicationStopped.Register(() => redis.DisposeAsync().AsTask().GetAwaiter().GetResult());
        if (streams is not null)
            app.Lifetime.ApplicationStopped.Register(() =>
            {
                streams.DisposeAsync().AsTask().GetAwaiter().GetResult();
                streamsLogs?.Dispose();
            });
        var engineOptions = new EngineOptions();
        ConfigureEngine(engineOptions, options);
        app.MapEngineIo("/engine.io", engineOptions, new EchoEngineHandler());
        app.MapSocketIo(ConfigureHandlers);
        if (options.Stats) app.MapGet("/__stats", () => Results.Json(RuntimeStats.Read(), FixtureJsonContext.Default.RuntimeStats));
        return app;
    }

    private static void Configure(SocketIoOptions o, FixtureOptions options)
    {
        o.Path = "/socket.io";
        o.ConnectTimeout = TimeSpan.FromMilliseconds(1000);
        if (options.Recovery)
            o.ConnectionStateRecovery = new() { MaxDisconnectionDuration = TimeSpan.FromMinutes(2), SkipMiddlewares = true };
        o.Parser = options.Parser;
        ConfigureEngine(o.Engine, options);
    }

    private static void ConfigureEngine(EngineOptions e, FixtureOptions options)
    {
        e.PingInterval = TimeSpan.FromMilliseconds(options.PingIntervalMs);
        e.PingTimeout = TimeSpan.FromMilliseconds(options.PingTimeoutMs);
        e.MaxHttpBufferSize = 1_000_000;
        e.Cors = new EngineCorsOptions { Origins = ["*"] };
        if (options.Compression) e.PerMessageDeflate = new EnginePerMessageDeflateOptions { Threshold = 1024 };
        e.AllowEIO3 = options.AllowEio3;
    }

    /// <summary>The fixture's events, as CONTRACTS.md section 2 lists them.</summary>
    public static void ConfigureHandlers(IoServer io)
    {
        io.OnConnection(socket =>
        {
            socket.Emit("auth", socket.Handshake.Auth);
            socket.On("message", e => socket.Emit("message-back", e.Args));
            socket.On("message-with-ack", e => e.Ack(e.Args));
            socket.On("join-room", e =>
            {
                var room = e.Arg<string>(0);
                if (room is null) return;
                socket.Join(room);
                e.Ack(room);
            });
            socket.On("room-broadcast", e =>
            {
                var room = e.Arg<string>(0);
                if (room is null) return;
                io.To(room).Emit("room-broadcast", e.Args[1..]);
            });
            socket.On("broadcast", e => io.Emit("broadcast", e.Args));
        });

        io.Of("/custom").OnConnection(socket => socket.Emit("auth", socket.Handshake.Auth));
    }
}
