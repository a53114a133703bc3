namespace SocketIoServer.Engine;

public sealed partial class EngineConnection
{
    // One timer per session, not a task: tens of thousands of idle sessions must cost little. It fires when the
    // next ping is due, or, once a ping is out, when its pong is late.
    private ITimer? _heartbeat;
    private int _awaitingPong;

    private void StartHeartbeat()
    {
        var options = _server.Options;
        // In v3 the client pings; the server only watches for silence.
        var firstDue = Protocol == 3 ? options.PingInterval + options.PingTimeout : options.PingInterval;
        _heartbeat = _server.Time.CreateTimer(static s => ((EngineConnection)s!).OnHeartbeatTimer(), this,
            firstDue, Timeout.InfiniteTimeSpan);
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
        _heartbeat?.Change(_server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
        Send(OutboundFrame.Ping);
    }

    private void OnPong()
    {
        // as Node.js: any pong clears the timeout and restarts the interval
        Volatile.Write(ref _awaitingPong, 0);
        _heartbeat?.Change(_server.Options.PingInterval, Timeout.InfiniteTimeSpan);
    }

    private void OnClientPing()
    {
        _heartbeat?.Change(_server.Options.PingInterval + _server.Options.PingTimeout, Timeout.InfiniteTimeSpan);
        Send(OutboundFrame.Pong);
    }
}
