using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Core;
using StackExchange.Redis;

namespace SocketIoServer.Chat.Cluster.Redis;

/// <summary>
/// Presence across the nodes of a cluster. Each node writes how many sockets it holds of each user into the user's
/// hash <c>chat:sockets:&lt;userId&gt;</c> (field = node id), and keeps its own registration <c>chat:node:&lt;id&gt;</c>
/// alive with a heartbeat (every third of <see cref="Options.NodeTtl"/>); a user is online while some live node
/// holds a socket of theirs. Seed 001's keys follow: <c>presence:&lt;userId&gt;</c> (SETEX 300 s,
/// <c>{"status":"online","lastSeen":ISO}</c>, refreshed by activity) and the set <c>online_users</c>. A transition is
/// announced by the one node whose script saw it, throttled cluster-wide (<c>chat:presence-reported:&lt;userId&gt;</c>):
/// a change inside the quiet period is announced when it ends, only if the truth then differs. A killed node's
/// registration expires and the next heartbeat of any node takes its sockets out (announcing who went offline);
/// a node that finds its own registration gone (Redis restarted, or it was taken for dead) writes its sockets again.
/// </summary>
public sealed partial class RedisPresence : IPresence, IHostedService, IAsyncDisposable
{
    /// <param name="Throttle">At most one announcement per user per this long (seed 002: 2 s).</param>
    /// <param name="NodeTtl">How long a node's registration outlives its last heartbeat (<c>REDIS_NODE_TTL</c>).</param>
    public sealed record Options(TimeSpan Throttle, TimeSpan NodeTtl)
    {
        /// <summary>Seed 001's <c>PRESENCE_TTL</c>.</summary>
        public TimeSpan PresenceTtl { get; init; } = TimeSpan.FromSeconds(300);
    }

    private readonly ChatRedis _redis;
    private readonly Options _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisPresence> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _local = new(StringComparer.Ordinal); // this node's sockets per user
    private readonly Dictionary<string, ITimer> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private bool _stale; // a write failed (Redis away): the next heartbeat writes this node's sockets again
    private Task? _heartbeats;
    private int _disposed;

    public RedisPresence(ChatRedis redis, Options options, TimeProvider time, ILogger<RedisPresence> logger)
    {
        _redis = redis;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>This process's id in the cluster (a new one each start, so a restarted node never inherits a dead one's sockets).</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public event Action<string, bool, DateTimeOffset>? Changed;

    private IDatabase Db => _redis.Database;

    private RedisKey Sockets(string userId) => _redis.Key("chat:sockets:" + userId);

    private string NodePrefix => _redis.Prefix + "chat:node:";

    public async Task ConnectedAsync(string userId, string socketId, CancellationToken cancellationToken)
    {
        Task<RedisResult> write;
        lock (_gate)
        {
            _local[userId] = _local.GetValueOrDefault(userId) + 1;
            // sent under the gate (not awaited there), so the counts reach Redis in the order they were made
            write = Sent(() => SetCountAsync(userId, _local[userId], arrived: true));
        }
        await WriteAsync(write);
        await ReportAsync(userId, clearPending: false);
    }

    public async Task DisconnectedAsync(string userId, string socketId, CancellationToken cancellationToken)
    {
        Task<RedisResult> write;
        lock (_gate)
        {
            if (!_local.TryGetValue(userId, out var count)) return;
            if (count <= 1) _local.Remove(userId);
            else _local[userId] = count - 1;
            write = Sent(() => SetCountAsync(userId, count - 1, arrived: false));
        }
        await WriteAsync(write);
        await ReportAsync(userId, clearPending: false);
    }

    // a command refused at once (Redis away, fail-fast) throws where it is sent: kept for the await, out of the gate
    private static Task<RedisResult> Sent(Func<Task<RedisResult>> send)
    {
        try
        {
            return send();
        }
        catch (Exception ex)
        {
            return Task.FromException<RedisResult>(ex);
        }
    }

    private async Task WriteAsync(Task<RedisResult> write)
    {
        try
        {
            await write;
        }
        catch
        {
            _stale = true;
            throw;
        }
    }

    public async Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken) =>
        (int)await Db.ScriptEvaluateAsync(IsOnlineScript, new { sockets = Sockets(userId), nodePrefix = NodePrefix, self = NodeId }) == 1;

    public async Task<IReadOnlyList<string>> OnlineUserIdsAsync(CancellationToken cancellationToken) =>
        [.. (await Db.SetMembersAsync(_redis.Key("online_users"))).Select(v => v.ToString())];

    /// <summary>Seed 001's <c>refreshUserPresence</c>: EXPIRE presence:&lt;id&gt; 300.</summary>
    public async Task<DateTimeOffset> TouchAsync(string userId, CancellationToken cancellationToken)
    {
        await Db.KeyExpireAsync(_redis.Key("presence:" + userId), _options.PresenceTtl);
        return _time.GetUtcNow();
    }

    private Task<RedisResult> SetCountAsync(string userId, int count, bool arrived) => Db.ScriptEvaluateAsync(SetCountScript, new
    {
        sockets = Sockets(userId),
        nodeUsers = _redis.Key("chat:node-users:" + NodeId),
        onlineUsers = _redis.Key("online_users"),
        presence = _redis.Key("presence:" + userId),
        node = NodeId,
        user = userId,
        count,
        arrived = arrived ? "1" : "0",
        nodePrefix = NodePrefix,
        presenceJson = new JsonObject { ["status"] = "online", ["lastSeen"] = JsTime.Iso(_time.GetUtcNow()) }.ToJsonString(),
        presenceTtl = (long)_options.PresenceTtl.TotalSeconds,
    });

    /// <summary>Announces the user's status when this node is the one to (see the report script), or arms the end of the quiet period.</summary>
    private async Task ReportAsync(string userId, bool clearPending)
    {
        var now = _time.GetUtcNow();
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(ReportScript, new
        {
            sockets = Sockets(userId),
            reported = _redis.Key("chat:presence-reported:" + userId),
            pending = _redis.Key("chat:presence-pending:" + userId),
            clearPending = clearPending ? "1" : "0",
            nodePrefix = NodePrefix,
            self = NodeId,
            now = now.ToUnixTimeMilliseconds(),
            throttle = (long)_options.Throttle.TotalMilliseconds,
        }))!;
        switch ((int)result[0])
        {
            case 1:
                Changed?.Invoke(userId, (int)result[1] == 1, now);
                break;
            case 2:
                var wait = TimeSpan.FromMilliseconds((long)result[1]);
                lock (_gate)
                {
                    if (_stopping.IsCancellationRequested) return;
                    _pending.Remove(userId, out var old);
                    old?.Dispose();
                    _pending[userId] = _time.CreateTimer(static s => ((QuietPeriodEnd)s!).Fire(), new QuietPeriodEnd(this, userId), wait, Timeout.InfiniteTimeSpan);
                }
                break;
        }
    }

    private sealed record QuietPeriodEnd(RedisPresence Presence, string UserId)
    {
        public void Fire() => _ = Presence.OnQuietPeriodOverAsync(UserId);
    }

    private async Task OnQuietPeriodOverAsync(string userId)
    {
        lock (_gate)
        {
            if (_pending.Remove(userId, out var timer)) timer.Dispose();
        }
        try
        {
            await ReportAsync(userId, clearPending: true);
        }
        catch (Exception ex)
        {
            LogFailed("presence report", ex);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BeatAsync();
        }
        catch (Exception ex)
        {
            // Redis away at start-up: the node starts anyway and registers with the next heartbeat that gets through
            _stale = true;
            LogFailed("heartbeat", ex);
        }
        _heartbeats = HeartbeatsAsync(_stopping.Token);
    }

    private async Task HeartbeatsAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.NodeTtl / 3, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await BeatAsync();
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    _stale = true;
                    LogFailed("heartbeat", ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One heartbeat: this node's registration renewed (its sockets written again when it was lost), dead nodes swept.</summary>
    internal async Task BeatAsync()
    {
        var existed = (int)await Db.ScriptEvaluateAsync(HeartbeatScript, new
        {
            nodeKey = _redis.Key("chat:node:" + NodeId),
            nodes = _redis.Key("chat:nodes"),
            node = NodeId,
            ttl = (long)_options.NodeTtl.TotalMilliseconds,
        }) == 1;
        if (!existed || _stale) await RewriteAsync();
        var offline = (RedisResult[])(await Db.ScriptEvaluateAsync(ReapScript, new
        {
            nodes = _redis.Key("chat:nodes"),
            self = NodeId,
            prefix = _redis.Prefix,
        }))!;
        foreach (var user in offline)
        {
            var userId = (string)user!;
            LogReaped(userId);
            await ReportAsync(userId, clearPending: true);
        }
    }

    /// <summary>Writes this node's sockets again, and takes out users Redis still lists for it but it no longer holds.</summary>
    private async Task RewriteAsync()
    {
        _stale = false;
        var listed = (await Db.SetMembersAsync(_redis.Key("chat:node-users:" + NodeId))).Select(v => v.ToString());
        List<(string UserId, Task<RedisResult> Write)> writes;
        lock (_gate)
        {
            writes = [.. _local.Keys.Union(listed, StringComparer.Ordinal).ToList()
                .Select(userId => (userId, Sent(() => SetCountAsync(userId, _local.GetValueOrDefault(userId), arrived: true))))];
        }
        try
        {
            foreach (var (userId, write) in writes)
            {
                await write;
                await ReportAsync(userId, clearPending: false);
            }
        }
        catch
        {
            _stale = true;
            throw;
        }
        if (writes.Count > 0) LogRewritten(writes.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_heartbeats is not null) await _heartbeats;
        try
        {
            // a node that stops in order leaves at once, rather than when its registration expires
            await Db.KeyDeleteAsync(_redis.Key("chat:node:" + NodeId));
        }
        catch (RedisException ex)
        {
            LogFailed("leave", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync();
        if (_heartbeats is not null) await _heartbeats;
        lock (_gate)
        {
            foreach (var timer in _pending.Values) timer.Dispose();
            _pending.Clear();
        }
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Error, "Cluster presence: {What} failed")]
    private partial void LogFailed(string what, Exception exception);

    [LoggerMessage(LogLevel.Information, "Cluster presence: {UserId} is offline, their sockets were on a node that stopped answering")]
    private partial void LogReaped(string userId);

    [LoggerMessage(LogLevel.Warning, "Cluster presence: this node's registration was lost (Redis restarted, or a heartbeat came too late); {Count} users written again")]
    private partial void LogRewritten(int count);
}
