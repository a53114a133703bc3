namespace SocketIoServer.Engine;

public sealed partial class EngineConnection
{
    // Timers, not a task per session: tens of thousands of idle sessions must cost little.
    private ITimer? _pingIntervalTimer;
    private ITimer? _pingTimeoutTimer;

    private void StartHeartbeat()
    {
        var time = _server.Time;
        if (Protocol == 3)
        {
            // In v3 the client pings; the server only watches for silence.
            _pingTimeoutTimer = time.CreateTimer(static s => ((EngineConnection)s!).OnPingTimeout(), this,
                _server.Options.PingInterval + _server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
            return;
        }

        _pingTimeoutTimer = time.CreateTimer(static s => ((EngineConnection)s!).OnPingTimeout(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pingIntervalTimer = time.CreateTimer(static s => ((EngineConnection)s!).OnPingDue(), this,
            _server.Options.PingInterval, Timeout.InfiniteTimeSpan);
    }

    private void StopHeartbeat()
    {
        _pingIntervalTimer?.Dispose();
        _pingTimeoutTimer?.Dispose();
    }

    private void OnPingDue()
    {
        if (!IsOpen) return;
        _pingTimeoutTimer?.Change(_server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
        Send(OutboundFrame.Ping);
    }

    private void OnPingTimeout()
    {
        if (IsFullyClosed) return;
        CloseNow(EngineCloseReason.PingTimeout);
    }

    private void OnPong()
    {
        _pingTimeoutTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pingIntervalTimer?.Change(_server.Options.PingInterval, Timeout.InfiniteTimeSpan);
    }

    private void OnClientPing()
    {
        _pingTimeoutTimer?.Change(_server.Options.PingInterval + _server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
        Send(OutboundFrame.Pong);
    }
}
