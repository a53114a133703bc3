using System.Text.Json.Serialization;

namespace SocketIoServer.Fixture;

/// <summary>What a benchmark reads from the fixture between two points of a run (served with <c>--stats</c>).</summary>
public sealed record RuntimeStats(
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long WorkingSetBytes,
    long GcHeapBytes,
    int ThreadCount)
{
    public static RuntimeStats Read()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new RuntimeStats(
            GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            process.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            ThreadPool.ThreadCount);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RuntimeStats))]
internal sealed partial class FixtureJsonContext : JsonSerializerContext;
