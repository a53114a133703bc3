namespace SocketIoServer.Parser;

/// <summary>
/// Collects the binary values met while one packet's payload is serialized. The JSON converters cannot take
/// state through System.Text.Json, so the encoder sets this per thread for the duration of one encode.
/// </summary>
internal static class AttachmentCollector
{
    [ThreadStatic] private static List<ReadOnlyMemory<byte>>? _current;

    public static List<ReadOnlyMemory<byte>>? Current => _current;

    public static List<ReadOnlyMemory<byte>>? Swap(List<ReadOnlyMemory<byte>>? next)
    {
        var previous = _current;
        _current = next;
        return previous;
    }
}
