namespace SocketIoServer.Server.Recovery;

/// <summary>
/// What a socket leaves behind when its connection drops for a recoverable reason: its id, its private session id
/// (<c>pid</c>, known only to its client), its rooms and its data.
/// </summary>
public sealed record PersistedSession(string Sid, string Pid, IReadOnlyList<string> Rooms, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>The disconnect reasons after which a session is kept (Node.js's <c>RECOVERABLE_DISCONNECT_REASONS</c>).</summary>
    public static bool IsRecoverable(string reason) => reason is DisconnectReason.TransportError or DisconnectReason.TransportClose
        or DisconnectReason.ForcedClose or DisconnectReason.PingTimeout or DisconnectReason.ServerShuttingDown
        or DisconnectReason.ForcedServerClose;
}

/// <summary>
/// A session found again: the persisted state and the events its client missed, in order (each carries its offset
/// as its last argument). <see cref="Position"/> is the adapter's mark of where the replay stopped, so that events
/// stored between the restore and the socket going live are not lost (<see cref="IAdapter.ResumeSession"/>).
/// </summary>
public sealed record RecoveredSession(PersistedSession Session, IReadOnlyList<BroadcastPacket> MissedPackets, long Position);
