using SocketIoServer.Server.Recovery;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// Connection state recovery across nodes: a session is saved in Redis (<c>SET {sessionKeyPrefix}{pid} PX</c>, as
/// Node.js saves it), taken back once (<c>GETDEL</c>) by whichever node the client reconnects to, and the events it
/// missed are read from the stream after its offset. A socket going live (<see cref="ResumeSession"/>) also gets what
/// the reading loop delivered here between that read and now, so it misses none and gets none twice.
/// </summary>
public sealed partial class RedisStreamsAdapter
{
    // what one XRANGE takes at most while replaying; Node.js stops after 100 calls, so do we
    private const int ReplayPage = 1000;
    private const int ReplayPagesMax = 100;

    // the deliveries kept for sockets going live: a socket goes live milliseconds after its replay, so little is needed
    private const int DeliveredKept = 10_000;
    private static readonly TimeSpan DeliveredAge = TimeSpan.FromMinutes(1);

    private readonly bool _recovering;
    private readonly Lock _deliveryGate = new();
    private readonly Queue<Delivered> _delivered = new();
    private long _deliveries;

    private readonly record struct Delivered(long Sequence, StreamId Id, BroadcastPacket Packet, BroadcastOptions Options, long At);

    /// <summary>
    /// A broadcast read from the stream, to this node's sockets; with recovery on, with its entry id as last argument
    /// (unless volatile), and remembered for a while. Delivered under the gate <see cref="ResumeSession"/> takes.
    /// </summary>
    private void DeliverFromStream(StreamId id, BroadcastPacket packet, BroadcastOptions options)
    {
        var stored = _recovering && !options.Volatile;
        if (stored) packet = WithOffset(packet, id.ToString());
        var time = Namespace.Server.Time;
        lock (_deliveryGate)
        {
            _ = base.BroadcastAsync(packet, options with { Local = true });
            if (!stored) return;
            _delivered.Enqueue(new Delivered(++_deliveries, id, packet, options, time.GetTimestamp()));
            while (_delivered.TryPeek(out var oldest) && (_delivered.Count > DeliveredKept || time.GetElapsedTime(oldest.At) > DeliveredAge))
                _delivered.Dequeue();
        }
    }

    private BroadcastPacket WithOffset(BroadcastPacket packet, string offset)
    {
        var args = new object?[packet.Args.Count + 1];
        for (var i = 0; i < packet.Args.Count; i++) args[i] = packet.Args[i];
        args[^1] = offset;
        return new BroadcastPacket(Namespace.Name, packet.EventName, args);
    }

    public override async Task PersistSessionAsync(PersistedSession session)
    {
        if (!_recovering) return;
        _persisted[session.Sid] = true;
        await Database.StringSetAsync(Options.SessionKeyPrefix + session.Pid, StreamsCodec.Session(session), SessionLifetime);
    }

    public override async Task<RecoveredSession?> RestoreSessionAsync(string pid, string offset)
    {
        if (!_recovering) return null;
        if (!StreamId.TryParse(offset, out var from)) return NotRecovered(pid, "the offset is not a stream id");
        var database = Database;
        var savedTask = database.StringGetDeleteAsync(Options.SessionKeyPrefix + pid);
        var atOffsetTask = database.StreamRangeAsync(Options.StreamName, offset, offset);
        var saved = await savedTask;
        var atOffset = await atOffsetTask;
        if (saved.IsNullOrEmpty) return NotRecovered(pid, "no session saved under this pid (unknown, expired or already recovered)");
        if (atOffset.Length == 0) return NotRecovered(pid, "the offset is no longer in the stream");
        if (StreamsCodec.Session(saved!) is not { } session) return NotRecovered(pid, "the saved session does not decode");

        var (missed, last) = await ReplayAsync(database, from, session.Rooms);
        // what the loop delivered after `last` is given on going live; it must have got that far to know what that is
        if (!await _factory.Reader.WaitForAsync(last, Options.RequestsTimeout))
            return NotRecovered(pid, "the stream reader did not catch up with the replay in time");
        long position;
        lock (_deliveryGate)
        {
            position = _deliveries;
            foreach (var delivered in _delivered)
            {
                if (delivered.Id <= last) continue;
                position = delivered.Sequence - 1;
                break;
            }
        }
        return new RecoveredSession(session, missed, position);
    }

    /// <summary>The broadcasts after <paramref name="from"/> that reach <paramref name="rooms"/>, with their offsets; and the last id read.</summary>
    private async Task<(List<BroadcastPacket> Missed, StreamId Last)> ReplayAsync(IDatabase database, StreamId from, IReadOnlyList<string> rooms)
    {
        var missed = new List<BroadcastPacket>();
        var last = from;
        for (var page = 0; page < ReplayPagesMax; page++)
        {
            var entries = await database.StreamRangeAsync(Options.StreamName, last.Next.ToString(), "+", ReplayPage);
            foreach (var entry in entries)
            {
                if (!StreamId.TryParse(entry.Id, out var id)) continue;
                last = id;
                if (MissedBroadcast(entry, rooms) is { } packet) missed.Add(WithOffset(packet, id.ToString()));
            }
            if (entries.Length < ReplayPage) break;
        }
        return (missed, last);
    }

    /// <summary>A plain, non-volatile broadcast of this namespace that reaches the rooms; null for anything else, malformed included.</summary>
    private BroadcastPacket? MissedBroadcast(StreamEntry entry, IReadOnlyList<string> rooms)
    {
        ClusterMessage? message;
        try
        {
            message = StreamsCodec.FromStream(entry.Values);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or FormatException or Parser.PacketParseException)
        {
            Logger.MalformedMessage("stream entry " + entry.Id, Options.StreamName, ex);
            return null;
        }
        if (message is not { Kind: ClusterMessageType.Broadcast } || message.Nsp != Namespace.Name || message.RequestId is not null) return null;
        var options = ClusterJson.Options(message.Data?["opts"]);
        if (options.Volatile || !RecoveryLog.Reaches(options, rooms)) return null;
        return ClusterJson.Packet(message.Data?["packet"]);
    }

    public override void ResumeSession(Socket socket, RecoveredSession session, Action goLive)
    {
        if (!_recovering)
        {
            goLive();
            return;
        }
        lock (_deliveryGate)
        {
            foreach (var delivered in _delivered)
                if (delivered.Sequence > session.Position && RecoveryLog.Reaches(delivered.Options, session.Session.Rooms))
                    socket.WriteStored(delivered.Packet);
            goLive();
        }
    }

    private RecoveredSession? NotRecovered(string pid, string reason)
    {
        Logger.NotRecovered(pid, Namespace.Name, reason);
        return null;
    }
}
