using System.Reflection;
using BenchmarkDotNet.Running;

namespace SocketIoServer.Bench.Micro;

public static class BenchProgram
{
    /// <summary>
    /// BenchmarkDotNet's command line, plus <c>--quick</c> (= <c>--job short</c>: 1 launch, 3 warm-up and 3 measured
    /// iterations), which also selects every benchmark when no <c>--filter</c> is given. Results go to
    /// scripts/bench/Micro/BenchmarkDotNet.Artifacts unless <c>--artifacts</c> says otherwise.
    /// </summary>
    public static int Main(string[] args)
    {
        var list = args.ToList();
        if (list.Remove("--quick"))
        {
            if (!list.Contains("--job") && !list.Contains("-j")) list.AddRange(["--job", "short"]);
            if (!list.Contains("--filter") && !list.Contains("-f")) list.AddRange(["--filter", "*"]);
        }
        if (!list.Contains("--artifacts") && !list.Contains("-a") && ProjectDirectory() is { } dir)
            list.AddRange(["--artifacts", Path.Combine(dir, "BenchmarkDotNet.Artifacts")]);

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchProgram).Assembly).Run([.. list]);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static string? ProjectDirectory() =>
        typeof(BenchProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BenchProjectDirectory")?.Value is { } dir && Directory.Exists(dir) ? dir : null;
}
