using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace LoadGenerator;

/// <summary>
/// `summarize --input results.jsonl [--a csharp --b node]`: medians per scenario and server, the C#/Node ratio,
/// and the project's targets with met / not met, as Markdown.
/// </summary>
internal static class Summary
{
    private sealed record MetricDef(string Scenario, string Key, string Label);

    private static readonly MetricDef[] Metrics =
    [
        new("fanout", "serverCpuUsPerDelivery", "**server CPU µs / delivery**"),
        new("fanout", "serverUserUsPerDelivery", "of which user space (µs)"),
        new("fanout", "serverKernelUsPerDelivery", "of which kernel (µs: system calls, TCP)"),
        new("fanout", "allocBytesPerDelivery", "allocated bytes / delivery"),
        new("fanout", "deliveriesPerSec", "deliveries/s at the fixed rate"),
        new("fanout", "p50Ms", "latency p50 (ms)"),
        new("fanout", "p99Ms", "latency p99 (ms)"),
        new("fanout", "serverCpuPct", "server CPU (% of one core)"),
        new("fanout", "generatorCpuPct", "generator CPU (% of one core)"),
        new("fanout", "maxHeldRate", "ramp: highest rate with p99 < 100 ms (msg/s)"),
        new("fanout", "maxHeldDeliveriesPerSec", "ramp: deliveries/s at that rate"),
        new("fanout", "otherCpuPct", "other processes' CPU (% of one core; noise)"),
        new("fanout", "deliveredPct", "delivered / sent × receivers (%, whole run)"),
        new("fanout", "errors", "errors"),
        // two nodes on Redis: "server" is both nodes' processes summed; Redis apart, then the total
        new("cluster-fanout", "serverCpuUsPerDelivery", "**both nodes' CPU µs / delivery**"),
        new("cluster-fanout", "serverUserUsPerDelivery", "of which user space (µs)"),
        new("cluster-fanout", "serverKernelUsPerDelivery", "of which kernel (µs: system calls, TCP)"),
        new("cluster-fanout", "senderNodeCpuUsPerDelivery", "of which the sender's node (µs: decode, publish)"),
        new("cluster-fanout", "receiverNodeCpuUsPerDelivery", "of which the receivers' node (µs: fan-out)"),
        new("cluster-fanout", "redisCpuUsPerDelivery", "Redis CPU µs / delivery"),
        new("cluster-fanout", "clusterCpuUsPerDelivery", "**nodes + Redis CPU µs / delivery**"),
        new("cluster-fanout", "allocBytesPerDelivery", "allocated bytes / delivery (both nodes)"),
        new("cluster-fanout", "deliveriesPerSec", "deliveries/s at the fixed rate"),
        new("cluster-fanout", "p50Ms", "latency p50 (ms)"),
        new("cluster-fanout", "p99Ms", "latency p99 (ms)"),
        new("cluster-fanout", "serverCpuPct", "both nodes' CPU (% of one core)"),
        new("cluster-fanout", "redisCpuPct", "Redis CPU (% of one core)"),
        new("cluster-fanout", "generatorCpuPct", "generator CPU (% of one core)"),
        new("cluster-fanout", "maxHeldRate", "ramp: highest rate with p99 < 100 ms (msg/s)"),
        new("cluster-fanout", "maxHeldDeliveriesPerSec", "ramp: deliveries/s at that rate"),
        new("cluster-fanout", "senderNodeRssMb", "RSS of the sender's node (MB)"),
        new("cluster-fanout", "receiverNodeRssMb", "RSS of the receivers' node (MB, 1,000 clients)"),
        new("cluster-fanout", "redisRssMb", "RSS of Redis (MB)"),
        new("cluster-fanout", "otherCpuPct", "other processes' CPU (% of one core; noise)"),
        new("cluster-fanout", "deliveredPct", "delivered / sent × receivers (%, whole run)"),
        new("cluster-fanout", "errors", "errors"),
        new("echo", "serverCpuUsPerAck", "**server CPU µs / ack**"),
        new("echo", "serverUserUsPerAck", "of which user space (µs)"),
        new("echo", "serverKernelUsPerAck", "of which kernel (µs: system calls, TCP)"),
        new("echo", "allocBytesPerAck", "allocated bytes / ack"),
        new("echo", "acksPerSec", "acks/s"),
        new("echo", "p50Ms", "latency p50 (ms)"),
        new("echo", "p99Ms", "latency p99 (ms)"),
        new("echo", "serverCpuPct", "server CPU (% of one core)"),
        new("echo", "generatorCpuPct", "generator CPU (% of one core)"),
        new("echo", "otherCpuPct", "other processes' CPU (% of one core; noise)"),
        new("echo", "errors", "errors"),
        new("polling", "serverCpuUsPerRoundTrip", "**server CPU µs / round trip**"),
        new("polling", "serverUserUsPerRoundTrip", "of which user space (µs)"),
        new("polling", "serverKernelUsPerRoundTrip", "of which kernel (µs: system calls, TCP)"),
        new("polling", "allocBytesPerRoundTrip", "allocated bytes / round trip"),
        new("polling", "roundTripsPerSec", "round trips/s"),
        new("polling", "p50Ms", "latency p50 (ms)"),
        new("polling", "p99Ms", "latency p99 (ms)"),
        new("polling", "serverCpuPct", "server CPU (% of one core)"),
        new("polling", "generatorCpuPct", "generator CPU (% of one core)"),
        new("polling", "otherCpuPct", "other processes' CPU (% of one core; noise)"),
        new("polling", "errors", "errors"),
        new("connections", "serverCpuUsPerConnect", "**server CPU µs / connect**"),
        new("connections", "rssPerConnKb10k", "**RSS KB / connection at 10,000**"),
        new("connections", "rssPerConnKbMax", "**RSS KB / connection at max**"),
        new("connections", "rssSlopeKbPerConn", "RSS slope KB / connection (fit)"),
        new("connections", "baselineRssMb", "RSS before connecting (MB)"),
        new("connections", "rssAtMaxMb", "RSS at max (MB)"),
        new("connections", "connected", "connected at max"),
        new("connections", "connectsPerSec", "connects/s"),
        new("connections", "errors", "errors"),
    ];

    public static int Run(Options o)
    {
        var input = o.String("input") ?? throw new ArgumentException("summarize needs --input FILE");
        var a = o.String("a", "csharp");
        var b = o.String("b", "node");
        o.EnsureAllUsed();

        var rows = File.ReadLines(input)
            .Where(l => l.TrimStart().StartsWith('{'))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();

        double? Median(string scenario, string server, string key)
        {
            var values = rows
                .Where(r => (string?)r["scenario"] == scenario && (string?)r["server"] == server)
                .Select(r => r["metrics"]?[key])
                .Where(v => v is not null)
                .Select(v => v!.GetValue<double>())
                .Order()
                .ToList();
            if (values.Count == 0) return null;
            var mid = values.Count / 2;
            return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        }

        int Rounds(string scenario, string server) =>
            rows.Count(r => (string?)r["scenario"] == scenario && (string?)r["server"] == server);

        double? Max(string scenario, string server, string key) =>
            rows.Where(r => (string?)r["scenario"] == scenario && (string?)r["server"] == server)
                .Select(r => r["metrics"]?[key])
                .Where(v => v is not null)
                .Select(v => (double?)v!.GetValue<double>())
                .DefaultIfEmpty(null)
                .Max();

        (double Min, double Max)? Range(string scenario, string server, string key)
        {
            var values = rows.Where(r => (string?)r["scenario"] == scenario && (string?)r["server"] == server)
                .Select(r => r["metrics"]?[key]).Where(v => v is not null).Select(v => v!.GetValue<double>()).ToList();
            return values.Count == 0 ? null : (values.Min(), values.Max());
        }

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"| scenario | metric | C# median | Node median | C#/Node |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var m in Metrics)
        {
            if (Rounds(m.Scenario, a) == 0 && Rounds(m.Scenario, b) == 0) continue;
            var va = Median(m.Scenario, a, m.Key);
            var vb = Median(m.Scenario, b, m.Key);
            if (va is null && vb is null) continue;
            var ratio = va is { } x && vb is { } y && y != 0 ? Fmt(x / y) : "";
            // the main rows show the spread of the runs too
            string Cell(string server, double? median) =>
                m.Label.StartsWith("**", StringComparison.Ordinal) && Range(m.Scenario, server, m.Key) is { } r && r.Min != r.Max
                    ? $"{Fmt(median)} ({Fmt(r.Min)}–{Fmt(r.Max)})"
                    : Fmt(median);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Scenario} ({Rounds(m.Scenario, a)}+{Rounds(m.Scenario, b)} runs) | {m.Label} | {Cell(a, va)} | {Cell(b, vb)} | {ratio} |");
        }

        // the targets' table goes after the rows, and only when a scenario with a target was run
        var table = sb;
        sb = new StringBuilder();
        void Target(string scenario, string name, string key, double maxRatio, string? p99Key, bool strictP99)
        {
            var va = Median(scenario, a, key);
            var vb = Median(scenario, b, key);
            if (va is null || vb is null)
            {
                if (Rounds(scenario, a) + Rounds(scenario, b) > 0) sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Fmt(va)} | {Fmt(vb)} | not measured |");
                return;
            }
            var ratio = va.Value / vb.Value;
            var met = ratio <= maxRatio;
            var text = $"ratio {Fmt(ratio)}";
            if (p99Key is not null && Median(scenario, a, p99Key) is { } pa && Median(scenario, b, p99Key) is { } pb)
            {
                var ok = strictP99 ? pa < pb : pa <= pb;
                met &= ok;
                text += $"; p99 {Fmt(pa)} vs {Fmt(pb)} ms";
            }
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Fmt(va)} | {Fmt(vb)} | {(met ? "met" : "not met")} ({text}) |");
        }
        Target("fanout", "fanout: CPU µs/delivery ≤ 1/5 of Node's, p99 no higher", "serverCpuUsPerDelivery", 0.2, "p99Ms", false);
        Target("echo", "echo: CPU µs/ack ≤ 1/4 of Node's, lower p99", "serverCpuUsPerAck", 0.25, "p99Ms", true);
        Target("polling", "polling: CPU µs/round trip ≤ 1/3 of Node's", "serverCpuUsPerRoundTrip", 1.0 / 3, null, false);
        Target("connections", "connections: RSS/idle connection ≤ 2/3 of Node's (at max)", "rssPerConnKbMax", 2.0 / 3, null, false);
        if (Rounds("connections", a) > 0)
        {
            var minConnected = rows.Where(r => (string?)r["scenario"] == "connections" && (string?)r["server"] == a)
                .Select(r => r["metrics"]?["connected"]?.GetValue<double>() ?? 0).Min();
            var maxErrors = Max("connections", a, "errors") ?? 0;
            var met = minConnected >= 19_500 && maxErrors == 0;
            var quick = rows.Where(r => (string?)r["scenario"] == "connections").All(r => r["quick"]?.GetValue<bool>() == true);
            var status = met ? "met" : quick && maxErrors == 0 ? "not measured (quick run)" : "not met";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| connections: 19,500 concurrent clients without errors | {Fmt(minConnected)} connected, {Fmt(maxErrors)} errors (worst run) | {Fmt(Median("connections", b, "connected"))} connected | {status} |");
        }
        if (Median("fanout", a, "allocBytesPerDelivery") is { } alloc)
        {
            var worst = Max("fanout", a, "allocBytesPerDelivery") ?? alloc;
            // the window also holds the /__stats request and timers: under 1 byte per delivery means nothing per message
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| broadcast hot path: 0 bytes allocated per delivery after warm-up | {Fmt(alloc)} B (worst run {Fmt(worst)}) | n/a | {(worst < 1 ? "met" : "not met")} (< 1 B/delivery counts as zero) |");
        }
        Console.Write(table.ToString());
        if (sb.Length > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| target | C# | Node | status |");
            Console.WriteLine("| --- | ---: | ---: | --- |");
            Console.Write(sb.ToString());
        }
        return 0;
    }

    private static string Fmt(double? v) => v switch
    {
        null => "–",
        { } x when x == Math.Floor(x) && Math.Abs(x) < 1e15 => x.ToString("#,0", CultureInfo.InvariantCulture),
        { } x when Math.Abs(x) >= 1000 => x.ToString("#,0", CultureInfo.InvariantCulture),
        { } x when Math.Abs(x) >= 100 => x.ToString("0", CultureInfo.InvariantCulture),
        { } x when Math.Abs(x) >= 10 => x.ToString("0.0", CultureInfo.InvariantCulture),
        { } x when Math.Abs(x) >= 1 => x.ToString("0.00", CultureInfo.InvariantCulture),
        { } x => x.ToString("0.000", CultureInfo.InvariantCulture),
    };
}
