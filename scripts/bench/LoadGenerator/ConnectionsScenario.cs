using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LoadGenerator;

/// <summary>
/// Idle WebSocket clients: opens them in steps (e.g. 2,500 / 5,000 / 10,000 / 19,500) in one server process,
/// holds each level, reads the server's VmRSS, and fits RSS against the number of connections.
/// </summary>
internal static class ConnectionsScenario
{
    public static async Task<Result> RunAsync(Common c, Options o)
    {
        var steps = o.Ints("steps", c.Quick ? [1000, 2000] : [2500, 5000, 10000, 19500]);
        var holdSeconds = o.Int("hold", c.Quick ? 2 : 10);
        var stepHoldSeconds = o.Int("step-hold", c.Quick ? 1 : 3);
        var concurrency = o.Int("concurrency", 200);
        var warmupClients = o.Int("warmup-clients", 100);
        o.EnsureAllUsed();
        if (c.ServerPid <= 0) throw new ArgumentException("connections needs --server-pid");

        var result = new Result("connections", c);
        using var probe = c.Probe();
        var timeout = TimeSpan.FromSeconds(60);

        // warm-up: first connections JIT-compile / lazily initialise both servers; they are closed again
        var warm = await WsClient.ConnectManyAsync(c.Server, warmupClients, 1_000_000, 50, _ => null, timeout);
        await Task.Delay(1000);
        foreach (var w in warm.Clients) w.Close();
        await Task.Delay(2000);
        Interlocked.Exchange(ref Errors.UnexpectedCloses, 0);

        var baselineKb = Proc.RssKb(c.ServerPid);
        if (probe.HasStats && (await probe.SnapshotAsync(0)).Stats is { } baseStats)
            result.Detail("baselineGcHeapMb", Math.Round(baseStats.GcHeapBytes / 1048576.0, 1));
        var points = new List<(int N, long RssKb)> { (0, baselineKb) };
        var stepsJson = new JsonArray();
        var clients = new List<WsClient>();
        long failures = 0;
        long connectCpuUs = 0;
        long connectGenCpuUs = 0;
        double connectSeconds = 0;
        long connectsDone = 0;
        string? firstFailure = null;

        foreach (var target in steps)
        {
            var toOpen = target - clients.Count - (int)failures;
            if (toOpen <= 0) continue;
            var cpu0 = Proc.CpuMicros(c.ServerPid);
            var self0 = Proc.CpuMicros(0);
            var t0 = Stopwatch.GetTimestamp();
            var res = await WsClient.ConnectManyAsync(c.Server, toOpen, clients.Count + (int)failures, concurrency, _ => null, timeout);
            var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var cpu = Proc.CpuMicros(c.ServerPid) - cpu0;
            var selfCpu = Proc.CpuMicros(0) - self0;
            clients.AddRange(res.Clients);
            failures += res.Failures;
            firstFailure ??= res.FirstFailure;
            connectCpuUs += cpu;
            connectGenCpuUs += selfCpu;
            connectSeconds += seconds;
            connectsDone += res.Clients.Count;

            var hold = target == steps[^1] || target == 10_000 ? holdSeconds : stepHoldSeconds;
            await Task.Delay(TimeSpan.FromSeconds(hold));
            var rss = Proc.RssKb(c.ServerPid);
            points.Add((clients.Count, rss));
            var stats = probe.HasStats ? (await probe.SnapshotAsync(0)).Stats : null;
            stepsJson.Add(new JsonObject
            {
                ["target"] = target,
                ["connected"] = clients.Count,
                ["failures"] = res.Failures,
                ["rssKb"] = rss,
                ["rssPerConnKb"] = clients.Count > 0 ? Math.Round((double)(rss - baselineKb) / clients.Count, 3) : null,
                ["connectSeconds"] = Math.Round(seconds, 3),
                ["serverCpuUsPerConnect"] = res.Clients.Count > 0 ? Math.Round((double)cpu / res.Clients.Count, 1) : null,
                ["generatorCpuUsPerConnect"] = res.Clients.Count > 0 ? Math.Round((double)selfCpu / res.Clients.Count, 1) : null,
                ["heldSeconds"] = hold,
                ["serverOpenFiles"] = Proc.OpenFiles(c.ServerPid),
                ["gcHeapMb"] = stats is null ? null : Math.Round(stats.GcHeapBytes / 1048576.0, 1),
                ["gen2Collections"] = stats?.Gen2,
            });
        }

        var (slope, intercept) = Fit(points);
        var last = points[^1];
        var at10k = points.FirstOrDefault(p => p.N >= 9_000 && p.N <= 10_000);
        result.Metric("serverCpuUsPerConnect", connectsDone > 0 ? (double)connectCpuUs / connectsDone : null);
        result.Metric("rssPerConnKb10k", at10k.N > 0 ? (double)(at10k.RssKb - baselineKb) / at10k.N : null);
        result.Metric("rssPerConnKbMax", last.N > 0 ? (double)(last.RssKb - baselineKb) / last.N : null);
        result.Metric("rssSlopeKbPerConn", slope);
        result.Metric("baselineRssMb", baselineKb / 1024.0);
        result.Metric("rssAtMaxMb", last.RssKb / 1024.0);
        result.Metric("connected", clients.Count);
        result.Metric("connectsPerSec", connectSeconds > 0 ? connectsDone / connectSeconds : null);
        result.Metric("generatorCpuUsPerConnect", connectsDone > 0 ? (double)connectGenCpuUs / connectsDone : null);
        result.ErrorMetrics(failures);
        if (firstFailure is not null) result.Detail("firstConnectFailure", firstFailure);
        result.Detail("steps", stepsJson);
        result.Detail("baselineRssKb", baselineKb);
        result.Detail("fitInterceptMb", Math.Round(intercept / 1024, 2));
        result.Detail("warmupClients", warmupClients);
        result.Detail("generatorOpenFilesLimit", OpenFilesLimit());

        foreach (var client in clients) client.Close();
        return result;
    }

    /// <summary>Least-squares line through (N, RSS KiB).</summary>
    private static (double Slope, double Intercept) Fit(List<(int N, long RssKb)> points)
    {
        if (points.Count < 2) return (double.NaN, double.NaN);
        double n = points.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var (x, y) in points)
        {
            sx += x;
            sy += y;
            sxx += (double)x * x;
            sxy += (double)x * y;
        }
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return (slope, (sy - slope * sx) / n);
    }

    private static string? OpenFilesLimit() =>
        File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) is { } line
            ? string.Join(' ', line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : null;
}
