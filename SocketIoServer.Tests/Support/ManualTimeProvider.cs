namespace SocketIoServer.Tests.Support;

/// <summary>
/// A clock that moves only when told to. <see cref="AdvanceTo"/> sets the time first and then runs the timers that
/// became due, so a callback sees the time it runs at — as a late timer callback would.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now;

    public TimeSpan Now => TimeSpan.FromTicks(_now);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_timers) _timers.Add(timer);
        return timer;
    }

    public void Advance(TimeSpan by) => AdvanceTo(Now + by);

    /// <summary>Moves the clock without running the timers that became due: timer callbacks running late.</summary>
    public void SetTimeOnly(TimeSpan time) => _now = time.Ticks;

    public void AdvanceTo(TimeSpan time)
    {
        _now = time.Ticks;
        while (true)
        {
            ManualTimer? due;
            lock (_timers) due = _timers.Where(t => t.Due is { } d && d <= _now).MinBy(t => t.Due);
            if (due is null) return;
            due.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private long? _period;

        public long? Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime.Ticks;
            _period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            return true;
        }

        public void Fire()
        {
            // a periodic timer is due again one period after it was due (not after it ran), as System.Threading.Timer
            Due = Due + _period;
            callback(state);
        }

        public void Dispose() => Due = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
