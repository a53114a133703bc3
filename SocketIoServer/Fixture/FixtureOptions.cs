using System.Globalization;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;

namespace SocketIoServer.Fixture;

/// <summary>Command-line flags of the protocol fixture (CONTRACTS.md section 2).</summary>
internal sealed record FixtureOptions
{
    public int Port { get; init; } = 3000;

    public int PingIntervalMs { get; init; } = 300;

    public int PingTimeoutMs { get; init; } = 200;

    /// <summary>Accept Engine.IO v3 clients (socket.io-client 2.x) on both paths (<c>allowEIO3</c>).</summary>
    public bool AllowEio3 { get; init; }

    /// <summary>The Socket.IO packet format: <c>--parser msgpack</c> (socket.io-msgpack-parser) or <c>default</c> (JSON).</summary>
    public IPacketParser Parser { get; init; } = JsonPacketParser.Instance;

    /// <summary>Serve <c>GET /__stats</c> (GC and memory counters) for benchmarks.</summary>
    public bool Stats { get; init; }

    /// <summary>Serve WebSocket upgrades through Kestrel's HTTP server instead of at the connection level (for A/B runs).</summary>
    public bool KestrelWebSockets { get; init; }

    /// <summary>Connection state recovery on (2 minutes, middlewares skipped on recovery), as CONTRACTS.md section 2.</summary>
    public bool Recovery { get; init; }

    /// <summary>Join a cluster through the Redis adapter (compatible with <c>@socket.io/redis-adapter</c>) at this URL.</summary>
    public string? RedisUrl { get; init; }

    /// <summary>Join a cluster through the Redis Streams adapter (compatible with <c>@socket.io/redis-streams-adapter</c>) at this URL.</summary>
    public string? RedisStreamsUrl { get; init; }

    /// <summary>
    /// The cluster's name in Redis (<c>--redis-key</c>): the pub/sub adapter's <c>key</c>, the streams adapter's stream
    /// name and channel prefix. Default <c>socket.io</c>, as in Node.js; different names let clusters share one Redis.
    /// </summary>
    public string RedisKey { get; init; } = "socket.io";

    /// <summary>WebSocket permessage-deflate on, threshold 1024 bytes (HTTP compression of polling responses is always on).</summary>
    public bool Compression { get; init; }

    /// <summary>Parses the flags after "fixture"; throws <see cref="ArgumentException"/> naming a bad one.</summary>
    public static FixtureOptions Parse(IReadOnlyList<string> args)
    {
        var options = new FixtureOptions();
        if (Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } envPort)
        {
            if (!int.TryParse(envPort, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
                throw new ArgumentException($"PORT: '{envPort}' is not a port number");
            options = options with { Port = p };
        }
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value");
            int Number(int min, int max)
            {
                var text = Value();
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                    throw new ArgumentException($"{flag}: '{text}' is not a number between {min} and {max}");
                return n;
            }

            options = flag switch
            {
                "--port" => options with { Port = Number(0, 65535) },
                "--ping-interval" => options with { PingIntervalMs = Number(1, int.MaxValue) },
                "--ping-timeout" => options with { PingTimeoutMs = Number(1, int.MaxValue) },
                "--stats" => options with { Stats = true },
                "--kestrel-websockets" => options with { KestrelWebSockets = true },
                "--recovery" => options with { Recovery = true },
                "--compression" => options with { Compression = true },
                "--allow-eio3" => options with { AllowEio3 = true },
                "--parser" => options with { Parser = ParserNamed(Value()) },
                "--redis" => options with { RedisUrl = RedisUrlOf(Value(), flag) },
                "--redis-streams" => options with { RedisStreamsUrl = RedisUrlOf(Value(), flag) },
                "--redis-key" => options with { RedisKey = RedisKeyOf(Value(), flag) },
                _ => throw new ArgumentException($"unknown fixture flag '{flag}'"),
            };
        }
        if (options.RedisUrl is not null && options.RedisStreamsUrl is not null)
            throw new ArgumentException("--redis and --redis-streams: a fixture joins one cluster, through one adapter");
        if (options.RedisKey != "socket.io" && options.RedisUrl is null && options.RedisStreamsUrl is null)
            throw new ArgumentException("--redis-key names a cluster: it needs --redis or --redis-streams");
        return options;
    }

    private static IPacketParser ParserNamed(string name) => name switch
    {
        "msgpack" => MsgPackPacketParser.Instance,
        "default" or "json" => JsonPacketParser.Instance,
        _ => throw new ArgumentException($"--parser: '{name}' is not a parser (msgpack, or default for JSON)"),
    };

    // a key printable and without spaces, so that it is the same channel name in redis-cli, Node.js and here
    private static string RedisKeyOf(string value, string flag) =>
        value.Length is > 0 and <= 200 && value.All(c => c > ' ' && c < '\x7f')
            ? value
            : throw new ArgumentException($"{flag}: '{value}' is not a key (1 to 200 printable ASCII characters, no spaces)");

    private static string RedisUrlOf(string value, string flag) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "redis" or "rediss"
            ? value
            : throw new ArgumentException($"{flag}: '{value}' is not a redis:// URL");
}
