namespace SocketIoServer.Chat.Core;

/// <summary>
/// Who is online (seed 002 "Presence Tracking"): a user is online while any of their sockets is connected, offline
/// once the last one leaves. Transitions are reported through <see cref="Changed"/> at most once per user per
/// <see cref="Throttle"/> (2 s): a change inside the quiet period is reported when it ends, and only if the status
/// then differs from the one last reported, so a rapid connect/disconnect storm yields one broadcast and the last
/// word is always the true status.
/// </summary>
public sealed class PresenceTracker : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserPresence> _users = new(StringComparer.Ordinal);

    private sealed class UserPresence
    {
        public readonly HashSet<string> Sockets = new(StringComparer.Ordinal);
        public bool? Reported;           // the status last broadcast (null: never)
        public long ReportedAt;          // when, as a TimeProvider timestamp
        public ITimer? Pending;          // the end of the quiet period, when a change waits for it
        public DateTimeOffset LastSeen;
    }

    public PresenceTracker(TimeSpan throttle, TimeProvider? time = null)
    {
        Throttle = throttle;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Throttle { get; }

    /// <summary>A user's status to broadcast: (userId, online, when).</summary>
    public event Action<string, bool, DateTimeOffset>? Changed;

    public bool IsOnline(string userId)
    {
        lock (_gate) return _users.TryGetValue(userId, out var p) && p.Sockets.Count > 0;
    }

    /// <summary>The users with at least one connected socket, in no particular order (seed 001's <c>online-users</c>).</summary>
    public IReadOnlyList<string> OnlineUserIds()
    {
        lock (_gate) return [.. _users.Where(p => p.Value.Sockets.Count > 0).Select(p => p.Key)];
    }

    /// <summary>When the user was last seen: now while online, else their last activity; null when never seen.</summary>
    public DateTimeOffset? LastSeen(string userId)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var p)) return null;
            return p.Sockets.Count > 0 ? _time.GetUtcNow() : p.LastSeen;
        }
    }

    public void Connected(string userId, string socketId)
    {
        (bool Online, DateTimeOffset At)? report;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var p))
            {
                if (_users.Count >= 4096) DropSettled();
                _users[userId] = p = new UserPresence();
            }
            p.LastSeen = _time.GetUtcNow();
            if (!p.Sockets.Add(socketId) || p.Sockets.Count != 1) return;
            report = Transition(userId, p);
        }
        if (report is { } r) Changed?.Invoke(userId, r.Online, r.At);
    }

    public void Disconnected(string userId, string socketId)
    {
        (bool Online, DateTimeOffset At)? report;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var p) || !p.Sockets.Remove(socketId)) return;
            p.LastSeen = _time.GetUtcNow();
            if (p.Sockets.Count != 0) return;
            report = Transition(userId, p);
        }
        if (report is { } r) Changed?.Invoke(userId, r.Online, r.At);
    }

    /// <summary>Activity (seed 002's presence:ping): updates last-seen; returns the time.</summary>
    public DateTimeOffset Touch(string userId)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
            if (_users.TryGetValue(userId, out var p)) p.LastSeen = now;
        return now;
    }

    // under the gate: report now, or once the quiet period since the last report is over
    private (bool, DateTimeOffset)? Transition(string userId, UserPresence p)
    {
        var online = p.Sockets.Count > 0;
        if (p.Pending is not null) return null; // the timer reports whatever the status is by then
        if (p.Reported is null || _time.GetElapsedTime(p.ReportedAt) >= Throttle)
        {
            if (p.Reported == online) return null;
            p.Reported = online;
            p.ReportedAt = _time.GetTimestamp();
            return (online, _time.GetUtcNow());
        }
        var wait = Throttle - _time.GetElapsedTime(p.ReportedAt);
        p.Pending = _time.CreateTimer(static s => ((PendingReport)s!).Fire(), new PendingReport(this, userId), wait, Timeout.InfiniteTimeSpan);
        return null;
    }

    // under the gate: forget offline users whose quiet period is over (their last-seen time is in the store), so
    // memory follows the users online now rather than every user ever seen
    private void DropSettled()
    {
        foreach (var (userId, p) in _users.ToList())
            if (p.Sockets.Count == 0 && p.Pending is null && _time.GetElapsedTime(p.ReportedAt) >= Throttle) _users.Remove(userId);
    }

    private sealed record PendingReport(PresenceTracker Tracker, string UserId)
    {
        public void Fire() => Tracker.OnQuietPeriodOver(UserId);
    }

    private void OnQuietPeriodOver(string userId)
    {
        bool online;
        DateTimeOffset at;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var p)) return;
            p.Pending?.Dispose();
            p.Pending = null;
            online = p.Sockets.Count > 0;
            if (p.Reported == online)
            {
                if (!online) _users.Remove(userId);
                return;
            }
            p.Reported = online;
            p.ReportedAt = _time.GetTimestamp();
            at = _time.GetUtcNow();
        }
        Changed?.Invoke(userId, online, at);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var p in _users.Values) p.Pending?.Dispose();
            _users.Clear();
        }
    }
}
