namespace SocketIoServer.Server.Adapters.Redis;

/// <summary>The options of npm <c>@socket.io/redis-adapter</c> 8.x, with its defaults.</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>The prefix of every channel (<c>key</c>). Default <c>socket.io</c>; nodes of one cluster share it.</summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>How long a request to the other nodes waits for their answers (<c>requestsTimeout</c>). Default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (string.IsNullOrEmpty(Key)) throw new InvalidOperationException("RedisAdapterOptions.Key must not be empty.");
        if (RequestsTimeout <= TimeSpan.Zero) throw new InvalidOperationException("RedisAdapterOptions.RequestsTimeout must be positive.");
    }
}
