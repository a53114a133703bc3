using System.Buffers.Text;

namespace LoadGenerator;

/// <summary>Clients each doing sequential message-with-ack round trips (the next one is sent from the ack's callback).</summary>
internal static class EchoScenario
{
    public static async Task<Result> RunAsync(Common c, Options o)
    {
        var clientCount = o.Int("clients", 100);
        var warmupSeconds = o.Double("warmup", c.Quick ? 1 : 3);
        var durationSeconds = o.Double("duration", c.Quick ? 3 : 10);
        var concurrency = o.Int("concurrency", 100);
        o.EnsureAllUsed();

        var result = new Result("echo", c);
        using var probe = c.Probe();
        var sink = new EchoSink();
        var connected = await WsClient.ConnectManyAsync(c.Server, clientCount, 0, concurrency, _ => sink, TimeSpan.FromSeconds(30));
        if (connected.Clients.Count == 0) throw new IOException($"could not connect: {connected.FirstFailure}");

        foreach (var client in connected.Clients) EchoSink.SendNext(client);
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        var start = await probe.SnapshotAsync(Interlocked.Read(ref sink.Acks));
        var histogram = new Histogram();
        sink.Histogram = histogram;
        await Task.Delay(TimeSpan.FromSeconds(durationSeconds));
        var end = await probe.SnapshotAsync(Interlocked.Read(ref sink.Acks));
        sink.Running = false;
        await Task.Delay(200);

        result.WindowMetrics(new Window(start, end), histogram, "Ack", "acksPerSec");
        result.Detail("clients", connected.Clients.Count);
        result.ErrorMetrics(connected.Failures);
        foreach (var client in connected.Clients) client.Close();
        return result;
    }

    private sealed class EchoSink : IPacketSink
    {
        public long Acks;
        public volatile bool Running = true;
        private volatile Histogram _histogram = new();

        public Histogram Histogram
        {
            set => _histogram = value;
        }

        /// <summary>42&lt;id&gt;["message-with-ack",{"n":&lt;id&gt;,"s":"hello"}]</summary>
        public static void SendNext(WsClient client)
        {
            Span<byte> buffer = stackalloc byte[96];
            var id = client.NextAckId++;
            "42"u8.CopyTo(buffer);
            var n = 2;
            Utf8Formatter.TryFormat(id, buffer[n..], out var w);
            n += w;
            var mid = "[\"message-with-ack\",{\"n\":"u8;
            mid.CopyTo(buffer[n..]);
            n += mid.Length;
            Utf8Formatter.TryFormat(id, buffer[n..], out w);
            n += w;
            var tail = ",\"s\":\"hello\"}]"u8;
            tail.CopyTo(buffer[n..]);
            n += tail.Length;
            client.SentAtMicros = Clock.NowMicros();
            client.SendText(buffer[..n]);
        }

        public void OnPacket(WsClient client, ReadOnlySpan<byte> packet)
        {
            if (packet[0] != (byte)'3') return;
            var now = Clock.NowMicros();
            if (!Utf8Parser.TryParse(packet[1..], out int id, out _) || id != client.NextAckId - 1)
            {
                Interlocked.Increment(ref Errors.ProtocolErrors);
                Errors.Note($"client {client.Id}: unexpected ack {System.Text.Encoding.UTF8.GetString(packet)}");
            }
            _histogram.Record(now - client.SentAtMicros);
            Interlocked.Increment(ref Acks);
            if (Running) SendNext(client);
        }
    }
}
