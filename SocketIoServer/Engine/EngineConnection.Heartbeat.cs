namespace SocketIoServer.Engine;

public sealed partial class EngineConnection
{
    // One timer per session, not a task: tens of thousands of idle sessions must cost little. It fires when the
    // next ping is due, or, once a ping is out, when its pong is late.
    private ITimer? _heartbeat;
    private int _awaitingPong;
    private long _heartbeatDue; // TimeProvider timestamp the timer was set for

    /// <summary>Sets the timer; a deadline counts from when the previous one was due, not from a late callback.</summary>
    private void ArmHeartbeat(TimeSpan dueIn, long from)
    {
        Volatile.Write(ref _heartbeatDue, from + (long)(dueIn.TotalSeconds * _server.Time.TimestampFrequency));
        var remaining = dueIn - _server.Time.GetElapsedTime(from);
        _heartbeat?.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void StartHeartbeat()
    {
        var options = _server.Options;
        // In v3 the client pings; the server only watches for silence.
        var firstDue = Protocol == 3 ? options.PingInterval + options.PingTimeout : options.PingInterval;
        _heartbeat = _server.Time.CreateTimer(static s => ((EngineConnection)s!).OnHeartbeatTimer(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        ArmHeartbeat(firstDue, _server.Time.GetTimestamp());
    }

    private void StopHeartbeat() => _heartbeat?.Dispose();

    private void OnHeartbeatTimer()
    {
        if (IsFullyClosed) return;
        if (Protocol == 3 || Volatile.Read(ref _awaitingPong) == 1)
        {
            CloseNow(EngineCloseReason.PingTimeout);
            return;
        }
        if (!IsOpen) return;
        Volatile.Write(ref _awaitingPong, 1);
        // the pong is due pingTimeout after the ping was due (Node.js's timers fire on time; ours may run late)
        ArmHeartbeat(_server.Options.PingTimeout, Volatile.Read(ref _heartbeatDue));
        Send(OutboundFrame.Ping);
    }

    /// <summary>
    /// A request for this session after its pong deadline, before the timer ran (a timer may fire late, a request
    /// may come right at the deadline): the session is closed for the ping timeout now, so the request sees what it
    /// would have seen had the timer been on time. True when the session timed out.
    /// </summary>
    internal bool CloseIfHeartbeatLate()
    {
        if (Protocol != 3 && Volatile.Read(ref _awaitingPong) == 0) return false;
        if (_server.Time.GetTimestamp() < Volatile.Read(ref _heartbeatDue) || IsFullyClosed) return false;
        CloseNow(EngineCloseReason.PingTimeout);
        return true;
    }

    private void OnPong()
    {
        // as Node.js: any pong clears the timeout and restarts the interval
        Volatile.Write(ref _awaitingPong, 0);
        ArmHeartbeat(_server.Options.PingInterval, _server.Time.GetTimestamp());
    }

    private void OnClientPing()
    {
        ArmHeartbeat(_server.Options.PingInterval + _server.Options.PingTimeout, _server.Time.GetTimestamp());
        Send(OutboundFrame.Pong);
    }
}
