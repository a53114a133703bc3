namespace SocketIoServer.Server;

/// <summary>Who a broadcast goes to and how: rooms (union; none means everyone), rooms excluded, and flags.</summary>
public sealed record BroadcastOptions
{
    // EmptySet first: static fields initialize in declaration order, and All uses it
    internal static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    public static readonly BroadcastOptions All = new();

    public IReadOnlySet<string> Rooms { get; init; } = EmptySet;

    public IReadOnlySet<string> Except { get; init; } = EmptySet;

    /// <summary>Only this node's sockets (no effect with the in-memory adapter).</summary>
    public bool Local { get; init; }

    /// <summary>Drop the packet for sockets whose transport is not ready to write it now.</summary>
    public bool Volatile { get; init; }

    /// <summary>Compress (when the transport compresses). Default true, as Node.js.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>How long broadcast acknowledgements are awaited; null waits for every receiver.</summary>
    public TimeSpan? Timeout { get; init; }

}
