using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// One socket's heartbeat record (seed 003 "Heartbeat System"). A heartbeat may carry the client's send time
/// (<c>{timestamp}</c>, Unix ms, as <c>Date.now()</c> gives): the latency is the server's time minus it, and
/// <c>avgLatency</c> their running mean. Heartbeats are expected every <c>interval</c> (the ping interval): each
/// whole interval beyond the first that passed without one counts as missed; <c>consecutiveMissed</c> is the
/// current streak (zero right after a heartbeat).
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Core.LocalOnlyJsonConverter<HeartbeatMetrics>))]
public sealed class HeartbeatMetrics(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _count;
    private double _latencySum;
    private long _latencyCount;
    private DateTimeOffset? _last;
    private long _missed;

    /// <summary>Records a heartbeat; returns its latency in ms when the client sent its time.</summary>
    public long? Beat(JsonNode? payload)
    {
        var now = time.GetUtcNow();
        long? latency = null;
        if (payload is JsonObject o && o["timestamp"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var sent)
            && double.IsFinite(sent))
            latency = Math.Max(0, now.ToUnixTimeMilliseconds() - (long)sent);
        lock (_gate)
        {
            _missed += MissedSinceLast(now);
            _last = now;
            _count++;
            if (latency is { } l && l < TimeSpan.FromHours(1).TotalMilliseconds)
            {
                _latencySum += l;
                _latencyCount++;
            }
        }
        return latency;
    }

    public JsonObject Snapshot(string userId, string socketId)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var streak = MissedSinceLast(now);
            return new JsonObject
            {
                ["userId"] = userId,
                ["socketId"] = socketId,
                ["avgLatency"] = _latencyCount == 0 ? 0 : (long)Math.Round(_latencySum / _latencyCount),
                ["lastHeartbeat"] = _last?.ToUnixTimeMilliseconds(),
                ["missedHeartbeats"] = _missed + streak,
                ["consecutiveMissed"] = streak,
            };
        }
    }

    // under the gate
    private long MissedSinceLast(DateTimeOffset now) =>
        _last is { } last ? Math.Max(0, (long)Math.Floor((now - last) / interval) - 1) : 0;
}
