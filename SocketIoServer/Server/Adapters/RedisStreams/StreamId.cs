using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SocketIoServer.Server.Adapters.RedisStreams;

/// <summary>
/// The id of a stream entry, <c>{milliseconds}-{sequence}</c>: its place in the stream, and the offset a client is
/// given with each event it receives (so that it can ask for what came after it).
/// </summary>
internal sealed record StreamId(long Milliseconds, long Sequence) : IComparable<StreamId>
{
    public static readonly StreamId Zero = new(0, 0);

    /// <summary>
    /// The id written as Redis writes it; anything else (what <c>/^[0-9]+-[0-9]+$/</c> refuses in Node.js) is not an
    /// id, so that an offset from elsewhere never reaches a Redis command.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StreamId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text)) return false;
        var dash = text.IndexOf('-');
        if (dash <= 0 || dash == text.Length - 1) return false;
        if (!long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return false;
        if (!long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) return false;
        id = new StreamId(ms, seq);
        return true;
    }

    /// <summary>The smallest id after this one (an exclusive XRANGE start that also works before Redis 6.2).</summary>
    public StreamId Next => new(Milliseconds, Sequence + 1);

    public int CompareTo(StreamId? other)
    {
        if (other is null) return 1;
        var byTime = Milliseconds.CompareTo(other.Milliseconds);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;

    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    public override string ToString() =>
        Milliseconds.ToString(CultureInfo.InvariantCulture) + "-" + Sequence.ToString(CultureInfo.InvariantCulture);
}
