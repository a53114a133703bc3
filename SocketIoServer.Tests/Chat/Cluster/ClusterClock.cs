using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Chat.Cluster;

/// <summary>
/// A <see cref="ManualTimeProvider"/> whose wall clock moves with it too (the Redis stores compare Unix times across
/// nodes): starts at a fixed date, timers run when the test advances it.
/// </summary>
public sealed class ClusterClock : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _manual = new();

    public override DateTimeOffset GetUtcNow() => Start + _manual.Now;

    public override long TimestampFrequency => _manual.TimestampFrequency;

    public override long GetTimestamp() => _manual.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _manual.CreateTimer(callback, state, dueTime, period);

    public void Advance(TimeSpan by) => _manual.Advance(by);
}
