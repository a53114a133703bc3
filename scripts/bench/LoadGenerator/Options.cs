using System.Globalization;
using System.Net;

namespace LoadGenerator;

/// <summary>"--name value" and "--flag" options after the subcommand.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Options(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{arg}'");
            var name = arg[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0) _values[name[..eq]] = name[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) _values[name] = args[++i];
            else _values[name] = null;
        }
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _values.ContainsKey(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback) =>
        String(name) is { } s ? int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        String(name) is { } s ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    public int[] Ints(string name, int[] fallback) =>
        String(name) is { } s
            ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(x => int.Parse(x, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray()
            : fallback;

    /// <summary>Throws when an option was given that no code asked for (a typo).</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}

/// <summary>Options every scenario takes.</summary>
/// <remarks>
/// A cluster run names a second node: <c>--sender-port</c> (the node the sender connects to; receivers use
/// <c>--port</c>), <c>--server-pids a,b</c> (every process whose CPU counts as the server's, summed) and
/// <c>--redis-pid</c> (Redis, measured apart and kept out of "other processes").
/// </remarks>
internal sealed record Common(IPEndPoint Server, int ServerPid, bool Stats, bool Quick, string ServerName, int Round)
{
    /// <summary>The node the sender connects to in a cluster run; null: the same server as the receivers.</summary>
    public IPEndPoint? SenderServer { get; init; }

    /// <summary>Processes whose CPU and memory are the server's: --server-pids, else --server-pid.</summary>
    public int[] ServerPids { get; init; } = [];

    /// <summary>The Redis server of a cluster run (0: none).</summary>
    public int RedisPid { get; init; }

    public static Common Parse(Options o)
    {
        var host = IPAddress.Parse(o.String("host", "127.0.0.1"));
        // the benchmark only ever talks to this machine
        if (!IPAddress.IsLoopback(host)) throw new ArgumentException($"--host must be a loopback address, not {host}");
        var serverPid = o.Int("server-pid", 0);
        var pids = o.Ints("server-pids", serverPid > 0 ? [serverPid] : []);
        var senderPort = o.Int("sender-port", 0);
        return new Common(
            new IPEndPoint(host, o.Int("port", 3000)),
            serverPid > 0 ? serverPid : pids.FirstOrDefault(),
            o.Flag("stats"),
            o.Flag("quick"),
            o.String("server-name", "unknown"),
            o.Int("round", 0))
        {
            SenderServer = senderPort > 0 ? new IPEndPoint(host, senderPort) : null,
            ServerPids = pids,
            RedisPid = o.Int("redis-pid", 0),
        };
    }

    public ServerProbe Probe()
    {
        // with --stats every node serves /__stats: allocations are summed over the nodes like CPU
        var stats = new List<Uri>();
        if (Stats)
        {
            stats.Add(new Uri($"http://{Server}/__stats"));
            if (SenderServer is { } sender && !sender.Equals(Server)) stats.Add(new Uri($"http://{sender}/__stats"));
        }
        return new ServerProbe(ServerPids, stats, RedisPid);
    }
}
