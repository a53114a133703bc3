using System.Diagnostics;
using System.Numerics;

namespace LoadGenerator;

/// <summary>Monotonic microsecond clock shared by senders and receivers (one process, one machine).</summary>
internal static class Clock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();
    private static readonly double TicksPerMicro = Stopwatch.Frequency / 1e6;

    public static long NowMicros() => (long)((Stopwatch.GetTimestamp() - Origin) / TicksPerMicro);
}

/// <summary>
/// Log-linear latency histogram in microseconds: exact below 2,048 µs, then 1,024 sub-buckets per power of two
/// (under 0.1 % error). Thread-safe recording; swap instances to start a new window.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 10;
    private const int Sub = 1 << SubBits;
    private readonly long[] _counts = new long[2 * Sub + 54 * Sub];

    public long Count
    {
        get
        {
            long n = 0;
            foreach (var c in _counts) n += c;
            return n;
        }
    }

    public void Record(long micros)
    {
        if (micros < 0) micros = 0;
        Interlocked.Increment(ref _counts[Index(micros)]);
    }

    private static int Index(long v)
    {
        if (v < 2 * Sub) return (int)v;
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)v);
        var shift = msb - SubBits;
        return 2 * Sub + (shift - 1) * Sub + (int)((v >> shift) - Sub);
    }

    private static double ValueAt(int index)
    {
        if (index < 2 * Sub) return index;
        var k = index - 2 * Sub;
        var shift = k / Sub + 1;
        long mantissa = k % Sub + Sub;
        // middle of the bucket
        return ((mantissa << shift) + ((mantissa + 1) << shift) - 1) / 2.0;
    }

    /// <summary>Value at quantile q (0..1) in microseconds; NaN when empty.</summary>
    public double Quantile(double q)
    {
        var total = Count;
        if (total == 0) return double.NaN;
        var target = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target) return ValueAt(i);
        }
        return ValueAt(_counts.Length - 1);
    }

    public double MaxMicros()
    {
        for (var i = _counts.Length - 1; i >= 0; i--)
            if (_counts[i] > 0) return ValueAt(i);
        return double.NaN;
    }
}
