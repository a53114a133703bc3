using System.Buffers.Text;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LoadGenerator;

/// <summary>
/// Room broadcast: receivers join room "bench"; one more client emits room-broadcast("bench", {t}) at a fixed rate;
/// every receiver measures now - t. Then (unless --no-ramp) the rate is raised step by step until p99 reaches
/// 100 ms or the deliveries fall behind the offered load.
/// As <c>cluster-fanout</c> (with <c>--sender-port</c>) the sender connects to another node than the receivers, so
/// every broadcast crosses the cluster adapter (Redis pub/sub) before the receivers' node fans it out; the server
/// CPU is then that of every process in <c>--server-pids SENDER_NODE,RECEIVER_NODE</c>, with Redis's
/// (<c>--redis-pid</c>) reported apart and as part of the cluster's total.
/// </summary>
internal static class FanoutScenario
{
    private const string Room = "bench";

    public static async Task<Result> RunAsync(Common c, Options o, string scenario = "fanout")
    {
        var cluster = scenario == "cluster-fanout";
        if (cluster && c.SenderServer is null) throw new ArgumentException("cluster-fanout needs --sender-port (the node the sender connects to)");
        var receivers = o.Int("receivers", 1000);
        var rate = o.Double("rate", 25);
        var warmupSeconds = o.Double("warmup", c.Quick ? 1 : 5);
        var durationSeconds = o.Double("duration", c.Quick ? 3 : 10);
        var ramp = !o.Flag("no-ramp");
        var rampRates = o.Ints("ramp-rates", c.Quick ? [50, 100] : [35, 50, 75, 100, 150, 200, 300, 400, 600, 800]);
        var rampSettleSeconds = o.Double("ramp-settle", c.Quick ? 1 : 2);
        var rampSeconds = o.Double("ramp-duration", c.Quick ? 2 : 4);
        var p99LimitMs = o.Double("p99-limit-ms", 100);
        var concurrency = o.Int("concurrency", 100);
        o.EnsureAllUsed();

        var result = new Result(scenario, c);
        using var probe = c.Probe();
        var sink = new FanoutSink();
        var timeout = TimeSpan.FromSeconds(30);

        var connected = await WsClient.ConnectManyAsync(c.Server, receivers, 0, concurrency, _ => sink, timeout);
        var senderResult = await WsClient.ConnectManyAsync(c.SenderServer ?? c.Server, 1, receivers, 1, _ => null, timeout);
        if (senderResult.Clients.Count == 0 || connected.Clients.Count == 0)
            throw new IOException($"could not connect: {connected.FirstFailure ?? senderResult.FirstFailure}");
        var sender = senderResult.Clients[0];

        // join-room with ack, then wait for every ack
        var joins = new List<Task>();
        Span<byte> buffer = stackalloc byte[64];
        foreach (var client in connected.Clients)
        {
            client.PendingAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            joins.Add(client.PendingAck.Task);
            var id = client.NextAckId++;
            var n = Write(buffer, "42"u8);
            Utf8Formatter.TryFormat(id, buffer[n..], out var w);
            n += w;
            n += Write(buffer[n..], "[\"join-room\",\"bench\"]"u8);
            client.SendText(buffer[..n]);
        }
        await Task.WhenAll(joins).WaitAsync(timeout);

        using var pacer = new Pacer(sender, rate);
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        // a cluster whose nodes do not see each other would measure nothing but the sender: fail loudly instead
        if (cluster && Interlocked.Read(ref sink.Deliveries) == 0)
            throw new IOException($"no broadcast from the sender's node reached the receivers' node within the {warmupSeconds} s warm-up");
        var (window, histogram) = await MeasureAsync(probe, sink, durationSeconds);
        result.WindowMetrics(window, histogram, "Delivery", "deliveriesPerSec");
        if (cluster) ClusterMetrics(result, c, window);
        result.Metric("offeredRate", rate);
        result.Metric("offeredDeliveriesPerSec", rate * connected.Clients.Count);
        result.Detail("receivers", connected.Clients.Count);

        if (ramp)
        {
            var steps = new JsonArray();
            // the fixed-rate window counts as the ramp's first step
            var fixedHeld = histogram.Quantile(0.99) / 1000 < p99LimitMs && window.WorkPerSecond >= 0.95 * rate * connected.Clients.Count;
            double? maxHeld = fixedHeld ? rate : null;
            double? maxHeldDeliveries = fixedHeld ? window.WorkPerSecond : null;
            foreach (var stepRate in fixedHeld ? rampRates.Where(r => r > rate) : [])
            {
                pacer.Rate = stepRate;
                await Task.Delay(TimeSpan.FromSeconds(rampSettleSeconds));
                var (w, h) = await MeasureAsync(probe, sink, rampSeconds);
                var offered = (double)stepRate * connected.Clients.Count;
                var p99 = h.Quantile(0.99) / 1000;
                var held = p99 < p99LimitMs && w.WorkPerSecond >= 0.95 * offered;
                steps.Add(new JsonObject
                {
                    ["rate"] = stepRate,
                    ["deliveriesPerSec"] = Math.Round(w.WorkPerSecond),
                    ["p50Ms"] = Math.Round(h.Quantile(0.5) / 1000, 3),
                    ["p99Ms"] = Math.Round(p99, 3),
                    ["serverCpuUsPerDelivery"] = Math.Round(w.ServerCpuUsPerUnit, 4),
                    ["serverCpuPct"] = Math.Round(w.ServerCpuPercent, 1),
                    ["generatorCpuPct"] = Math.Round(w.GeneratorCpuPercent, 1),
                    ["redisCpuPct"] = c.RedisPid > 0 ? Math.Round(w.RedisCpuPercent, 1) : null,
                    ["machineBusyPct"] = Math.Round(w.MachinePercent.Busy + w.MachinePercent.SoftIrq, 1),
                    ["otherCpuPct"] = Math.Round(w.OtherCpuPercent, 1),
                    ["allocBytesPerDelivery"] = w.AllocBytesPerUnit is { } a ? Math.Round(a, 3) : null,
                    ["held"] = held,
                });
                if (!held) break;
                maxHeld = stepRate;
                maxHeldDeliveries = w.WorkPerSecond;
            }
            result.Metric("maxHeldRate", maxHeld);
            result.Metric("maxHeldDeliveriesPerSec", maxHeldDeliveries);
            result.Detail("ramp", steps);
        }
        pacer.Stop();
        // every message was sent after every receiver had joined: each must arrive exactly once. Once the backlog of
        // an overloaded last ramp step has drained (no progress for a second, 15 s at most), the share delivered
        // tells losses (< 100) and duplicates (> 100) apart from lag.
        var expected = pacer.Sent * connected.Clients.Count;
        var delivered = Interlocked.Read(ref sink.Deliveries);
        for (var waited = 0; waited < 15 && delivered < expected; waited++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = Interlocked.Read(ref sink.Deliveries);
            if (now == delivered) break;
            delivered = now;
        }
        result.Detail("sent", pacer.Sent);
        result.Detail("delivered", delivered);
        result.Metric("deliveredPct", expected > 0 ? 100.0 * delivered / expected : null);
        result.ErrorMetrics(connected.Failures + senderResult.Failures);
        foreach (var client in connected.Clients) client.Close();
        sender.Close();
        return result;
    }

    /// <summary>Redis's share of the CPU, the cluster's total, and the memory of every node (read after the window).</summary>
    private static void ClusterMetrics(Result result, Common c, Window w)
    {
        if (c.RedisPid > 0)
        {
            result.Metric("redisCpuUsPerDelivery", w.RedisCpuUsPerUnit);
            result.Metric("redisCpuPct", w.RedisCpuPercent);
            result.Metric("clusterCpuUsPerDelivery", w.ServerCpuUsPerUnit + w.RedisCpuUsPerUnit);
            result.Metric("redisRssMb", Proc.RssKb(c.RedisPid) / 1024.0);
        }
        // --server-pids lists the sender's node first, the receivers' node second
        string[] names = ["senderNode", "receiverNode"];
        for (var i = 0; i < c.ServerPids.Length && i < names.Length; i++)
        {
            // the sender's node decodes each event once and publishes it; the receivers' node fans it out
            result.Metric($"{names[i]}CpuUsPerDelivery", w.ProcessCpuUsPerUnit(i));
            result.Metric($"{names[i]}RssMb", Proc.RssKb(c.ServerPids[i]) / 1024.0);
        }
        result.Metric("serverRssMb", c.ServerPids.Sum(pid => Proc.RssKb(pid)) / 1024.0);
    }

    private static async Task<(Window, Histogram)> MeasureAsync(ServerProbe probe, FanoutSink sink, double seconds)
    {
        var start = await probe.SnapshotAsync(Interlocked.Read(ref sink.Deliveries));
        var histogram = new Histogram();
        sink.Histogram = histogram;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var end = await probe.SnapshotAsync(Interlocked.Read(ref sink.Deliveries));
        return (new Window(start, end), histogram);
    }

    private static int Write(Span<byte> to, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to);
        return bytes.Length;
    }

    private sealed class FanoutSink : IPacketSink
    {
        public long Deliveries;
        private volatile Histogram _histogram = new();

        public Histogram Histogram
        {
            set => _histogram = value;
        }

        public void OnPacket(WsClient client, ReadOnlySpan<byte> packet)
        {
            if (packet.StartsWith("2[\"room-broadcast\","u8))
            {
                var now = Clock.NowMicros();
                var at = packet.IndexOf("\"t\":"u8);
                if (at < 0 || !Utf8Parser.TryParse(packet[(at + 4)..], out long sentAt, out _))
                {
                    Interlocked.Increment(ref Errors.ProtocolErrors);
                    return;
                }
                _histogram.Record(now - sentAt);
                Interlocked.Increment(ref Deliveries);
            }
            else if (packet[0] == (byte)'3')
            {
                client.PendingAck?.TrySetResult();
            }
        }
    }

    /// <summary>Emits room-broadcast at a steady rate from a dedicated thread (sleeps between sends, catches up).</summary>
    private sealed class Pacer : IDisposable
    {
        private readonly WsClient _sender;
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _rateBits;

        public Pacer(WsClient sender, double rate)
        {
            _sender = sender;
            Rate = rate;
            _thread = new Thread(Run) { IsBackground = true, Name = "pacer" };
            _thread.Start();
        }

        public long Sent;

        public double Rate
        {
            get => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _rateBits));
            set => Interlocked.Exchange(ref _rateBits, BitConverter.DoubleToInt64Bits(value));
        }

        private void Run()
        {
            Span<byte> buffer = stackalloc byte[96];
            var prefix = "42[\"room-broadcast\",\"bench\",{\"t\":"u8;
            prefix.CopyTo(buffer);
            var next = Stopwatch.GetTimestamp();
            while (!_stop)
            {
                var now = Stopwatch.GetTimestamp();
                if (now < next)
                {
                    Thread.Sleep(1);
                    continue;
                }
                Utf8Formatter.TryFormat(Clock.NowMicros(), buffer[prefix.Length..], out var n);
                n += prefix.Length;
                buffer[n++] = (byte)'}';
                buffer[n++] = (byte)']';
                _sender.SendText(buffer[..n]);
                Interlocked.Increment(ref Sent);
                next += (long)(Stopwatch.Frequency / Rate);
                // never burst more than a second's worth after a stall
                if (now - next > Stopwatch.Frequency) next = now;
            }
        }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
        }

        public void Dispose()
        {
            if (!_stop) Stop();
        }
    }
}
