using Microsoft.Extensions.Logging.Abstractions;
using SocketIoServer.Engine;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// The heartbeat keeps Node.js's deadlines even when a timer callback runs late: a session whose client never
/// answers is closed pingInterval + pingTimeout after it opened, and a pong resets the interval.
/// </summary>
public sealed class HeartbeatTimingTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private sealed class Recorder : IEngineHandler
    {
        public EngineCloseReason? Closed { get; private set; }
        public void OnOpen(EngineConnection connection) { }
        public void OnMessage(EngineConnection connection, ReadOnlySpan<byte> utf8Text) { }
        public void OnBinary(EngineConnection connection, ReadOnlySpan<byte> data) { }
        public void OnClose(EngineConnection connection, EngineCloseReason reason, string? description) => Closed = reason;
    }

    private static (EngineConnection Connection, Recorder Handler) Open(ManualTimeProvider clock, int protocol = 4)
    {
        var handler = new Recorder();
        var options = new EngineOptions { PingInterval = 300 * Ms, PingTimeout = 200 * Ms };
        var server = new EngineServer(options, handler, NullLogger.Instance, clock);
        var request = new EngineRequestInfo
        {
            Headers = new Dictionary<string, string>(), Query = new Dictionary<string, string>(),
            RemoteAddress = "127.0.0.1", Url = "/engine.io/", Secure = false, Time = DateTimeOffset.UnixEpoch,
        };
        var connection = new EngineConnection("sid", protocol, server, request);
        connection.Start();
        return (connection, handler);
    }

    [Test]
    public void A_late_ping_callback_does_not_push_the_ping_timeout_back()
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock);

        clock.AdvanceTo(350 * Ms); // the ping was due at 300 ms; its callback runs 50 ms late
        Assert.That(connection.QueuedFrames, Is.EqualTo(2), "open packet and ping");
        clock.AdvanceTo(499 * Ms);
        Assert.That(handler.Closed, Is.Null);
        clock.AdvanceTo(500 * Ms);
        Assert.That(handler.Closed, Is.EqualTo(EngineCloseReason.PingTimeout));
    }

    [Test]
    public void In_v3_the_server_never_pings_and_a_silent_session_closes_after_pingInterval_plus_pingTimeout()
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock, protocol: 3);

        clock.AdvanceTo(499 * Ms);
        Assert.That(connection.QueuedFrames, Is.EqualTo(1), "the open packet only: no ping");
        Assert.That(handler.Closed, Is.Null);
        clock.AdvanceTo(500 * Ms);
        Assert.That(handler.Closed, Is.EqualTo(EngineCloseReason.PingTimeout));
    }

    [Test]
    public void In_v3_a_client_ping_is_answered_and_moves_the_deadline()
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock, protocol: 3);

        clock.AdvanceTo(400 * Ms);
        connection.OnPacket(new InboundPacket(EnginePacketType.Ping, default, false));
        Assert.That(connection.QueuedFrames, Is.EqualTo(2), "open packet and pong");
        clock.AdvanceTo(899 * Ms);
        Assert.That(handler.Closed, Is.Null);
        clock.AdvanceTo(900 * Ms);
        Assert.That(handler.Closed, Is.EqualTo(EngineCloseReason.PingTimeout));
    }

    [TestCase(3, EnginePacketType.Pong)]
    [TestCase(4, EnginePacketType.Ping)]
    public void A_heartbeat_in_the_wrong_direction_is_a_transport_error(int protocol, EnginePacketType type)
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock, protocol);
        Assert.That(connection.OnPacket(new InboundPacket(type, default, false)), Is.False);
        Assert.That(handler.Closed, Is.EqualTo(EngineCloseReason.TransportError));
    }

    [Test]
    public void A_pong_restarts_the_interval_from_its_arrival()
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock);

        clock.AdvanceTo(300 * Ms);
        clock.AdvanceTo(400 * Ms);
        connection.OnPacket(new InboundPacket(EnginePacketType.Pong, default, false));
        clock.AdvanceTo(699 * Ms);
        Assert.That(connection.QueuedFrames, Is.EqualTo(2), "no second ping before 700 ms");
        clock.AdvanceTo(700 * Ms);
        Assert.That(connection.QueuedFrames, Is.EqualTo(3), "the second ping");
        clock.AdvanceTo(900 * Ms);
        Assert.That(handler.Closed, Is.EqualTo(EngineCloseReason.PingTimeout));
    }

    [Test]
    public void A_request_after_the_pong_deadline_closes_the_session_even_before_the_timer_runs()
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock);

        clock.AdvanceTo(300 * Ms); // the ping goes out
        clock.SetTimeOnly(499 * Ms);
        Assert.That(connection.CloseIfHeartbeatLate(), Is.False, "before the deadline");
        clock.SetTimeOnly(500 * Ms); // the timeout timer is late
        Assert.That(connection.CloseIfHeartbeatLate(), Is.True);
        Assert.That(handler.Closed, Is.EqualTo(EngineCloseReason.PingTimeout));
    }

    [Test]
    public void A_request_while_no_pong_is_awaited_leaves_the_session_open()
    {
        var clock = new ManualTimeProvider();
        var (connection, handler) = Open(clock);

        clock.SetTimeOnly(10_000 * Ms); // long past the first ping's due time, but no ping is out yet
        Assert.That(connection.CloseIfHeartbeatLate(), Is.False);
        Assert.That(handler.Closed, Is.Null);
    }
}
