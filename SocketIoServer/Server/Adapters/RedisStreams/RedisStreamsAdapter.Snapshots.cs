using System.Collections.Concurrent;
using SocketIoServer.Server.Recovery;
using StackExchange.Redis;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// Sessions saved while their sockets are still connected. Node.js saves a session only when its connection drops,
/// so a node that is killed saves nothing and its clients cannot recover anywhere. Here each live socket's session
/// is also saved every <see cref="RedisStreamsAdapterOptions.SessionSnapshotInterval"/> when it changed (and again
/// before it would expire), so that a client of a killed node recovers on another with its rooms and data of at most
/// one interval before. A socket that leaves for good takes its saved session with it.
/// </summary>
public sealed partial class RedisStreamsAdapter
{
    private readonly ConcurrentDictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _persisted = new(StringComparer.Ordinal);
    private ITimer? _snapshotTimer;
    private int _snapshotting;

    private sealed record Snapshot(string Pid, string Saved, long At);

    private TimeSpan SessionLifetime => Namespace.Server.Options.ConnectionStateRecovery!.MaxDisconnectionDuration;

    private void StartSnapshots()
    {
        if (!_recovering || Options.SessionSnapshotInterval <= TimeSpan.Zero) return;
        var interval = Options.SessionSnapshotInterval;
        _snapshotTimer = Namespace.Server.Time.CreateTimer(static s => _ = ((RedisStreamsAdapter)s!).SnapshotAsync(), this, interval, interval);
    }

    private async Task SnapshotAsync()
    {
        if (Interlocked.Exchange(ref _snapshotting, 1) == 1) return; // the last round is still writing
        try
        {
            var time = Namespace.Server.Time;
            var database = Database;
            var writes = new List<Task>();
            foreach (var socket in Namespace.Sockets.Values)
            {
                if (socket.Pid is not { } pid) continue;
                var saved = StreamsCodec.Session(new PersistedSession(socket.Id, pid, [.. socket.Rooms], new Dictionary<string, object?>(socket.Data)));
                if (_snapshots.TryGetValue(socket.Id, out var last) && last.Saved == saved && time.GetElapsedTime(last.At) < SessionLifetime / 2) continue;
                _snapshots[socket.Id] = new Snapshot(pid, saved, time.GetTimestamp());
                writes.Add(database.StringSetAsync(Options.SessionKeyPrefix + pid, saved, SessionLifetime));
            }
            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Logger.PublishFailed("session snapshot", Namespace.Name, ex);
            _snapshots.Clear(); // all written again next round
        }
        catch (Exception ex)
        {
            Logger.HandlerFailed(0, Uid, Namespace.Name, ex);
        }
        finally
        {
            Volatile.Write(ref _snapshotting, 0);
        }
    }

    /// <summary>
    /// A socket leaves its rooms when it disconnects: unless its session was just saved for recovery
    /// (<see cref="PersistSessionAsync"/>), it left for good, and its snapshot must not bring it back.
    /// </summary>
    public override void DelAll(string socketId)
    {
        base.DelAll(socketId);
        var persisted = _persisted.TryRemove(socketId, out _);
        if (_snapshots.TryRemove(socketId, out var snapshot) && !persisted) _ = ForgetAsync(snapshot.Pid);
    }

    private async Task ForgetAsync(string pid)
    {
        try
        {
            await Database.KeyDeleteAsync(Options.SessionKeyPrefix + pid);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Logger.PublishFailed("session removal", Namespace.Name, ex);
        }
    }

    private void StopSnapshots()
    {
        _snapshotTimer?.Dispose();
        _snapshotTimer = null;
    }
}
