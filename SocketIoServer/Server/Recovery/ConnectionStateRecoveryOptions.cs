namespace SocketIoServer.Server.Recovery;

/// <summary>
/// Connection state recovery (Node.js's <c>connectionStateRecovery</c>, socket.io 4.6+): a client whose connection
/// dropped gets its socket back (id, rooms, data) and the events it missed, if it reconnects in time.
/// </summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>How long a disconnected session, and the packets it may need, are kept. Default 2 minutes.</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether a recovered socket skips the namespace's middlewares. Default true.</summary>
    public bool SkipMiddlewares { get; set; } = true;

    internal void Validate()
    {
        if (MaxDisconnectionDuration <= TimeSpan.Zero)
            throw new InvalidOperationException("SocketIoOptions.ConnectionStateRecovery.MaxDisconnectionDuration must be positive.");
    }
}
