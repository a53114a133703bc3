using BenchmarkDotNet.Attributes;
using SocketIoServer.Engine;
using SocketIoServer.Parser;
using SocketIoServer.Server;

namespace SocketIoServer.Bench.Micro;

/// <summary>
/// The broadcast hot path, per operation = one chat message to <see cref="Receivers"/> connected sockets.
/// Divide "Allocated" by Receivers for the cost per delivery; the goal is 0 B per delivery after warm-up.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    [Params(1, 100, 1000)]
    public int Receivers;

    private BenchServer _server = null!;
    private EncodedPacket _encoded = null!;
    private Task[] _waits = null!;
    private readonly object?[] _args = [Payloads.Chat];

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServer.StartAsync(Receivers).GetAwaiter().GetResult();
        _encoded = new BroadcastPacket("/", "chat", _args).EncodeWith(JsonPacketParser.Instance);
        _waits = new Task[Receivers];
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// The per-receiver part of InMemoryAdapter.BroadcastAsync for a packet already encoded: what Client.Write does
    /// for a non-volatile packet without attachments (OutboundFrame.Text + EngineConnection.Send), then the
    /// transport's TryRead of that frame. No transport is parked on the outbox (it is busy or polling is between GETs).
    /// </summary>
    [Benchmark(Description = "Send+drain, no reader parked")]
    public int SendToReceivers()
    {
        var text = _encoded.Text;
        foreach (var connection in _server.Connections) connection.Send(OutboundFrame.Text(text));
        return _server.Drain();
    }

    /// <summary>
    /// As above, but each receiver is a long-polling GET waiting on its outbox (<c>FrameOutbox.WaitAsync</c> with a
    /// token; each connection's ClosedToken stands in for the GET's). Only the outbox part of a GET is measured, not
    /// the HTTP request. (A WebSocket receiver parks nothing: the sending thread writes its frame.)
    /// </summary>
    [Benchmark(Description = "Send+drain, reader parked (token, as polling)")]
    public int SendToParkedReceiversWithToken()
    {
        var outboxes = _server.Outboxes;
        var connections = _server.Connections;
        for (var i = 0; i < outboxes.Length; i++) _waits[i] = outboxes[i].WaitAsync(connections[i].ClosedToken);
        var frame = OutboundFrame.Text(_encoded.Text);
        foreach (var connection in connections) connection.Send(frame);
        Task.WaitAll(_waits);
        return _server.Drain();
    }

    /// <summary>
    /// The whole public path: io.Emit("chat", msg) to every socket of "/" (BroadcastOperator.Emit → new BroadcastPacket
    /// → InMemoryAdapter.BroadcastAsync: LocalSockets, encode once, NotifyOutgoing, Client.Write per socket), then the
    /// transports' TryRead. The args array is reused (a caller's params array would add 32 B per emit).
    /// </summary>
    [Benchmark(Description = "io.Emit(chat)+drain")]
    public int IoEmit()
    {
        _server.Io.Emit("chat", _args);
        return _server.Drain();
    }
}

/// <summary>The once-per-broadcast part: new BroadcastPacket(...).Encoded, independent of the receivers.</summary>
[MemoryDiagnoser]
public class BroadcastEncodeBenchmarks
{
    private readonly object?[] _args = [Payloads.Chat];

    [Benchmark(Description = "new BroadcastPacket(chat).EncodeWith(json)")]
    public EncodedPacket EncodeOnce() => new BroadcastPacket("/", "chat", _args).EncodeWith(JsonPacketParser.Instance);
}
