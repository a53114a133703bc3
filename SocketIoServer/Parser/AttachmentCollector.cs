namespace SocketIoServer.Parser;

/// <summary>
/// Collects the binary values met while one packet's payload is serialized. The JSON converters cannot take
/// state through System.Text.Json, so the encoder sets this per thread for the duration of one encode.
/// </summary>
internal static class AttachmentCollector
{
    [ThreadStatic] private static List<ReadOnlyMemory<byte>>? _current;
    [ThreadStatic] private static byte[]? _marker;

    public static List<ReadOnlyMemory<byte>>? Current => _current;

    /// <summary>
    /// The property name of the placeholder objects to write (<c>{marker: N}</c>), or null for socket.io-parser's
    /// <c>{"_placeholder":true,"num":N}</c>. The msgpack encoder sets one no payload can contain, so that it finds
    /// exactly the binaries it collected when it turns the JSON into msgpack.
    /// </summary>
    public static byte[]? Marker => _marker;

    public readonly record struct State(List<ReadOnlyMemory<byte>>? Collector, byte[]? Marker);

    /// <summary>Collects into <paramref name="next"/> from now on; returns what to <see cref="Restore"/> afterwards.</summary>
    public static State Swap(List<ReadOnlyMemory<byte>>? next, byte[]? marker = null)
    {
        var previous = new State(_current, _marker);
        _current = next;
        _marker = marker;
        return previous;
    }

    public static void Restore(State previous)
    {
        _current = previous.Collector;
        _marker = previous.Marker;
    }
}
