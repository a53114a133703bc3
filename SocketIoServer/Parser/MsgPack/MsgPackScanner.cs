namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// The first pass over a message: reads every value once, so that a malformed message is refused before anything is
/// built (lengths beyond the message, nesting deeper than <see cref="SocketIoJson.MaxDepth"/>, map keys that are not
/// strings — notepack never writes one, and a JSON object cannot have one).
/// </summary>
internal static class MsgPackScanner
{
    /// <summary>
    /// Checks the value whose header <paramref name="reader"/> just read, reading its elements; <paramref name="depth"/>
    /// is its nesting level (1 for the payload itself).
    /// </summary>
    public static void Scan(ref MsgPackReader reader, int depth)
    {
        switch (reader.Token)
        {
            case MsgPackToken.Array:
                CheckDepth(depth);
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    Scan(ref reader, depth + 1);
                }
                break;
            case MsgPackToken.Map:
                CheckDepth(depth);
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    CheckKey(ref reader);
                    reader.Read();
                    Scan(ref reader, depth + 1);
                }
                break;
        }
    }

    public static void CheckKey(ref MsgPackReader reader)
    {
        if (reader.Token != MsgPackToken.String)
            throw new PacketParseException($"invalid msgpack: a map key that is not a string (a {reader.Token}, before byte {reader.Position})");
    }

    private static void CheckDepth(int depth)
    {
        if (depth > SocketIoJson.MaxDepth)
            throw new PacketParseException($"invalid payload: nested deeper than {SocketIoJson.MaxDepth} levels");
    }
}
