using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>Reads CPU time and memory of a process from /proc (Linux only).</summary>
internal static partial class Proc
{
    private const int ScClkTck = 2;

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    /// <summary>Clock ticks per second used by utime/stime in /proc/[pid]/stat.</summary>
    public static readonly long ClockTicksPerSecond = ReadClockTicks();

    private static long ReadClockTicks()
    {
        try
        {
            var ticks = SysConf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception)
        {
            return 100;
        }
    }

    /// <summary>utime + stime of the whole process (all threads, including exited ones) in microseconds.</summary>
    public static long CpuMicros(int pid)
    {
        var (user, system) = CpuSplitMicros(pid);
        return user + system;
    }

    /// <summary>utime and stime (user space, kernel) of the whole process in microseconds.</summary>
    public static (long User, long System) CpuSplitMicros(int pid)
    {
        var text = File.ReadAllText(pid == 0 ? "/proc/self/stat" : $"/proc/{pid}/stat");
        // the command name (field 2) may contain spaces and parentheses: fields resume after the last ')'
        var rest = text.AsSpan(text.LastIndexOf(')') + 2);
        Span<Range> fields = stackalloc Range[16];
        var count = rest.Split(fields, ' ');
        if (count < 14) throw new InvalidDataException($"unexpected /proc/{pid}/stat: {text}");
        // after ')' the first field is field 3 (state); utime is field 14, stime field 15
        var utime = long.Parse(rest[fields[11]], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[fields[12]], CultureInfo.InvariantCulture);
        return (utime * 1_000_000 / ClockTicksPerSecond, stime * 1_000_000 / ClockTicksPerSecond);
    }

    /// <summary>VmRSS of a process in KiB.</summary>
    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines(pid == 0 ? "/proc/self/status" : $"/proc/{pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var digits = line.AsSpan(6).Trim();
            var space = digits.IndexOf(' ');
            return long.Parse(space < 0 ? digits : digits[..space], CultureInfo.InvariantCulture);
        }
        throw new InvalidDataException($"no VmRSS for pid {pid}");
    }

    /// <summary>Machine-wide jiffies from /proc/stat: (busy excluding softirq, softirq, idle + iowait, steal).</summary>
    public static SystemCpu SystemCpu()
    {
        var line = File.ReadLines("/proc/stat").First();
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal
        return new SystemCpu(f[0] + f[1] + f[2] + f[5], f[6], f[3] + f[4], f.Length > 7 ? f[7] : 0);
    }

    public static int OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFiles(pid == 0 ? "/proc/self/fd" : $"/proc/{pid}/fd").Length;
        }
        catch (Exception)
        {
            return -1;
        }
    }
}

internal readonly record struct SystemCpu(long Busy, long SoftIrq, long Idle, long Steal)
{
    public long Total => Busy + SoftIrq + Idle + Steal;
}

/// <summary>GC counters served by the C# fixture at GET /__stats.</summary>
internal sealed record ServerRuntimeStats(long AllocatedBytes, int Gen0, int Gen1, int Gen2, long GcHeapBytes)
{
    public static async Task<ServerRuntimeStats> ReadAsync(HttpClient http, Uri url)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(url).ConfigureAwait(false));
        var r = doc.RootElement;
        return new ServerRuntimeStats(
            r.GetProperty("allocatedBytes").GetInt64(),
            r.GetProperty("gen0Collections").GetInt32(),
            r.GetProperty("gen1Collections").GetInt32(),
            r.GetProperty("gen2Collections").GetInt32(),
            r.GetProperty("gcHeapBytes").GetInt64());
    }
}

/// <summary>
/// The server under test: its processes (one, or every node of a cluster: CPU is summed), their /__stats endpoints
/// (C# fixture), and optionally a Redis process measured apart.
/// </summary>
internal sealed class ServerProbe : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly IReadOnlyList<Uri> _statsUrls;
    private readonly int[] _pids;

    public ServerProbe(int[] pids, IReadOnlyList<Uri> statsUrls, int redisPid = 0)
    {
        _pids = pids;
        _statsUrls = statsUrls;
        RedisPid = redisPid;
    }

    public int Pid => _pids.FirstOrDefault();

    public int RedisPid { get; }

    public bool HasStats => _statsUrls.Count > 0;

    public async Task<Snapshot> SnapshotAsync(long work)
    {
        ServerRuntimeStats? stats = null;
        foreach (var url in _statsUrls)
        {
            var s = await ServerRuntimeStats.ReadAsync(_http, url).ConfigureAwait(false);
            stats = stats is null ? s : new ServerRuntimeStats(stats.AllocatedBytes + s.AllocatedBytes, stats.Gen0 + s.Gen0,
                stats.Gen1 + s.Gen1, stats.Gen2 + s.Gen2, stats.GcHeapBytes + s.GcHeapBytes);
        }
        // the counters are read right after the stats request so that it falls outside the window as far as possible
        long user = 0, system = 0;
        var perProcess = new long[_pids.Length];
        for (var i = 0; i < _pids.Length; i++)
        {
            var (u, k) = Proc.CpuSplitMicros(_pids[i]);
            user += u;
            system += k;
            perProcess[i] = u + k;
        }
        var redis = RedisPid > 0 ? Proc.CpuMicros(RedisPid) : 0;
        return new Snapshot(Stopwatch.GetTimestamp(), user + system, user, Proc.CpuMicros(0), work, stats, Proc.SystemCpu())
        {
            RedisCpuUs = redis,
            ServerCpuUsPerProcess = perProcess,
        };
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One point of a measured window.</summary>
internal sealed record Snapshot(long Timestamp, long ServerCpuUs, long ServerUserUs, long SelfCpuUs, long Work, ServerRuntimeStats? Stats, SystemCpu System)
{
    /// <summary>CPU of the Redis server of a cluster run (0 without one).</summary>
    public long RedisCpuUs { get; init; }

    /// <summary>CPU of each server process, in the order of --server-pids (a cluster's nodes apart).</summary>
    public long[] ServerCpuUsPerProcess { get; init; } = [];
}

/// <summary>What happened between two snapshots.</summary>
internal sealed record Window(Snapshot Start, Snapshot End)
{
    public double Seconds => Stopwatch.GetElapsedTime(Start.Timestamp, End.Timestamp).TotalSeconds;

    public long Work => End.Work - Start.Work;

    public double WorkPerSecond => Work / Seconds;

    public long ServerCpuUs => End.ServerCpuUs - Start.ServerCpuUs;

    public double ServerCpuUsPerUnit => Work > 0 ? (double)ServerCpuUs / Work : double.NaN;

    /// <summary>The user-space part of <see cref="ServerCpuUsPerUnit"/> (the rest is kernel time: system calls, TCP).</summary>
    public double ServerUserUsPerUnit => Work > 0 ? (double)(End.ServerUserUs - Start.ServerUserUs) / Work : double.NaN;

    /// <summary>Server CPU in percent of one core.</summary>
    public double ServerCpuPercent => ServerCpuUs / (Seconds * 1e6) * 100;

    /// <summary>Redis CPU (cluster runs) in percent of one core.</summary>
    public double RedisCpuPercent => (End.RedisCpuUs - Start.RedisCpuUs) / (Seconds * 1e6) * 100;

    /// <summary>CPU per unit of work of server process <paramref name="i"/> alone (a cluster's node).</summary>
    public double ProcessCpuUsPerUnit(int i) =>
        Work > 0 ? (double)(End.ServerCpuUsPerProcess[i] - Start.ServerCpuUsPerProcess[i]) / Work : double.NaN;

    public double RedisCpuUsPerUnit => Work > 0 ? (double)(End.RedisCpuUs - Start.RedisCpuUs) / Work : double.NaN;

    /// <summary>
    /// CPU of processes other than the server(s), Redis and the generator (other work on the machine), % of one core.
    /// </summary>
    public double OtherCpuPercent
    {
        get
        {
            var m = MachinePercent;
            return (m.Busy + m.SoftIrq) * Environment.ProcessorCount - ServerCpuPercent - RedisCpuPercent - GeneratorCpuPercent;
        }
    }

    /// <summary>Generator CPU in percent of one core.</summary>
    public double GeneratorCpuPercent => (End.SelfCpuUs - Start.SelfCpuUs) / (Seconds * 1e6) * 100;

    public double? AllocBytesPerUnit => Start.Stats is { } a && End.Stats is { } b && Work > 0
        ? (double)(b.AllocatedBytes - a.AllocatedBytes) / Work
        : null;

    /// <summary>Whole machine, percent of all cores: busy in processes and kernel (without softirq), softirq, steal.</summary>
    public (double Busy, double SoftIrq, double Steal) MachinePercent
    {
        get
        {
            var total = (double)(End.System.Total - Start.System.Total);
            if (total <= 0) return (double.NaN, double.NaN, double.NaN);
            return ((End.System.Busy - Start.System.Busy) / total * 100,
                (End.System.SoftIrq - Start.System.SoftIrq) / total * 100,
                (End.System.Steal - Start.System.Steal) / total * 100);
        }
    }

    public int? Gen0 => Start.Stats is { } a && End.Stats is { } b ? b.Gen0 - a.Gen0 : null;

    public int? Gen2 => Start.Stats is { } a && End.Stats is { } b ? b.Gen2 - a.Gen2 : null;
}
