using System.Globalization;
using System.Text.Json.Nodes;

namespace LoadGenerator;

/// <summary>One JSON line per scenario run: identification, "metrics" (numbers the summary aggregates), "details".</summary>
internal sealed class Result
{
    private readonly JsonObject _root;
    private readonly JsonObject _metrics = [];
    private readonly JsonObject _details = [];

    public Result(string scenario, Common common)
    {
        _root = new JsonObject
        {
            ["scenario"] = scenario,
            ["server"] = common.ServerName,
            ["round"] = common.Round,
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["quick"] = common.Quick,
            ["metrics"] = _metrics,
            ["details"] = _details,
        };
    }

    public void Metric(string name, double? value) =>
        _metrics[name] = value is { } v && double.IsFinite(v) ? Math.Round(v, v >= 100 ? 1 : 4) : null;

    public void Detail(string name, JsonNode? value) => _details[name] = value;

    /// <summary>Latency quantiles (ms) and server/generator CPU of a window, plus allocation when the server has stats.</summary>
    public void WindowMetrics(Window w, Histogram h, string perUnit, string throughputName)
    {
        Metric($"serverCpuUsPer{perUnit}", w.ServerCpuUsPerUnit);
        Metric($"serverUserUsPer{perUnit}", w.ServerUserUsPerUnit);
        Metric($"serverKernelUsPer{perUnit}", w.ServerCpuUsPerUnit - w.ServerUserUsPerUnit);
        Metric(throughputName, w.WorkPerSecond);
        Metric("p50Ms", h.Quantile(0.50) / 1000);
        Metric("p99Ms", h.Quantile(0.99) / 1000);
        Metric("serverCpuPct", w.ServerCpuPercent);
        Metric("generatorCpuPct", w.GeneratorCpuPercent);
        Metric($"allocBytesPer{perUnit}", w.AllocBytesPerUnit);
        var machine = w.MachinePercent;
        Detail("machineBusyPct", double.IsFinite(machine.Busy) ? Math.Round(machine.Busy + machine.SoftIrq, 1) : null);
        Detail("machineSoftIrqPct", Math.Round(machine.SoftIrq, 1));
        // CPU used by processes other than the server(s), Redis and the generator (other work on the machine), % of one core
        Metric("otherCpuPct", w.OtherCpuPercent);
        Detail("machineStealPct", Math.Round(machine.Steal, 1));
        Detail("windowSeconds", Math.Round(w.Seconds, 3));
        Detail("work", w.Work);
        Detail("serverCpuUs", w.ServerCpuUs);
        Detail("p90Ms", Math.Round(h.Quantile(0.90) / 1000, 3));
        Detail("p999Ms", Math.Round(h.Quantile(0.999) / 1000, 3));
        Detail("maxMs", Math.Round(h.MaxMicros() / 1000, 3));
        Detail("samples", h.Count);
        if (w.Gen0 is { } g0) Detail("gen0Collections", g0);
        if (w.Gen2 is { } g2) Detail("gen2Collections", g2);
    }

    public void ErrorMetrics(long connectFailures)
    {
        var errors = connectFailures + Interlocked.Read(ref Errors.UnexpectedCloses) + Interlocked.Read(ref Errors.SendFailures) +
                     Interlocked.Read(ref Errors.ProtocolErrors);
        Metric("errors", errors);
        Detail("connectFailures", connectFailures);
        Detail("unexpectedCloses", Interlocked.Read(ref Errors.UnexpectedCloses));
        Detail("sendFailures", Interlocked.Read(ref Errors.SendFailures));
        Detail("protocolErrors", Interlocked.Read(ref Errors.ProtocolErrors));
        if (Volatile.Read(ref Errors.FirstError) is { } first) Detail("firstError", first);
    }

    public string ToJson() => _root.ToJsonString();
}
