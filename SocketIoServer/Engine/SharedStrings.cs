using System.Collections.Concurrent;

namespace SocketIoServer.Engine;

/// <summary>
/// One instance of each short string that recurs across connections (header names, "websocket", the Host value,
/// a client address...), so that tens of thousands of sessions do not each keep their own copies. Bounded: once
/// full, strings are kept as they are, so a client sending endless distinct headers cannot grow it.
/// </summary>
internal static class SharedStrings
{
    private const int MaxEntries = 4096;
    private const int MaxLength = 64;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Share(string value)
    {
        if (value.Length > MaxLength) return value;
        if (Pool.TryGetValue(value, out var shared)) return shared;
        return Pool.Count < MaxEntries ? Pool.GetOrAdd(value, value) : value;
    }
}
