using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIoServer.Server.Adapters.Redis;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// The Redis connections of one server on the streams adapter (<c>createAdapter(redisClient, opts)</c> of npm
/// <c>@socket.io/redis-streams-adapter</c>): one for commands and pub/sub, one of its own for the blocking stream
/// read, and the reading loop that hands each entry to the adapter of its namespace. Set <see cref="Create"/> as
/// <c>SocketIoOptions.AdapterFactory</c>; dispose after the server stopped.
/// </summary>
public sealed class RedisStreamsAdapterFactory : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RedisStreamsAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly StreamReadLoop _reader;

    private RedisStreamsAdapterFactory(IConnectionMultiplexer redis, IConnectionMultiplexer readerConnection, RedisStreamsAdapterOptions options, ILogger logger)
    {
        Redis = redis;
        Options = options;
        Logger = logger;
        _reader = new StreamReadLoop(readerConnection, options, OnEntry, logger);
    }

    internal IConnectionMultiplexer Redis { get; }

    internal RedisStreamsAdapterOptions Options { get; }

    internal ILogger Logger { get; }

    internal StreamReadLoop Reader => _reader;

    /// <summary>
    /// Connects to Redis (a <c>redis://</c> URL or a StackExchange.Redis configuration string). Redis need not be up
    /// yet: the connections keep trying, and the stream is read once it answers.
    /// </summary>
    /// <exception cref="ArgumentException">An option out of range, or a configuration that does not parse.</exception>
    public static async Task<RedisStreamsAdapterFactory> ConnectAsync(string configuration, RedisStreamsAdapterOptions? options = null, ILogger? logger = null)
    {
        options ??= new RedisStreamsAdapterOptions();
        options.Validate();
        var redis = await ConnectionMultiplexer.ConnectAsync(Configure(configuration, options, forReading: false));
        var reader = await ConnectionMultiplexer.ConnectAsync(Configure(configuration, options, forReading: true));
        return new RedisStreamsAdapterFactory(redis, reader, options, logger ?? NullLogger.Instance);
    }

    /// <summary>As <see cref="ConnectAsync"/>, for start-up code that is not asynchronous.</summary>
    public static RedisStreamsAdapterFactory Connect(string configuration, RedisStreamsAdapterOptions? options = null, ILogger? logger = null)
    {
        options ??= new RedisStreamsAdapterOptions();
        options.Validate();
        var redis = ConnectionMultiplexer.Connect(Configure(configuration, options, forReading: false));
        var reader = ConnectionMultiplexer.Connect(Configure(configuration, options, forReading: true));
        return new RedisStreamsAdapterFactory(redis, reader, options, logger ?? NullLogger.Instance);
    }

    private static ConfigurationOptions Configure(string configuration, RedisStreamsAdapterOptions options, bool forReading)
    {
        ConfigurationOptions config;
        try
        {
            config = ConfigurationOptions.Parse(RedisAdapterFactory.ToConfiguration(configuration));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ArgumentException($"'{configuration}' is not a Redis URL or configuration: {ex.Message}", nameof(configuration), ex);
        }
        config.AbortOnConnectFail = false; // keep trying: a Redis restart must not need a process restart
        if (forReading)
        {
            // a blocking read is an answer that comes late on purpose; it must not count as a timeout
            config.AsyncTimeout = (int)(options.BlockTime + TimeSpan.FromSeconds(10)).TotalMilliseconds;
            config.ClientName = "socket.io-streams-reader";
            // it only reads: no second connection for pub/sub
            config.CommandMap = CommandMap.Create(new HashSet<string> { "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE" }, available: false);
        }
        return config;
    }

    /// <summary>The adapter of one namespace.</summary>
    public IAdapter Create(Namespace nsp)
    {
        var adapter = new RedisStreamsAdapter(nsp, this);
        _adapters[nsp.Name] = adapter;
        return adapter;
    }

    internal void Remove(RedisStreamsAdapter adapter) => _adapters.TryRemove(new KeyValuePair<string, RedisStreamsAdapter>(adapter.Namespace.Name, adapter));

    private void OnEntry(StreamId id, NameValueEntry[] fields)
    {
        if (StreamsCodec.FromStream(fields) is not { } message) return;
        if (_adapters.TryGetValue(message.Nsp, out var adapter)) adapter.OnStreamMessage(id, message);
        else Logger.UnknownNamespace(id.ToString(), message.Nsp);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
