using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SocketIoServer.Chat.Storage;

/// <summary>
/// Makes ids shaped like MongoDB ObjectIds — 24 lowercase hex characters: 4 bytes of Unix seconds, 5 random bytes
/// chosen once per generator, a 3-byte counter — because seed 002's clients were written against MongoDB and may
/// check the shape. Unique across processes the way ObjectIds are (the random part); the primary key catches the
/// rest. Message order never depends on these ids: the store orders by creation time and insertion order.
/// </summary>
internal sealed class ObjectIdGenerator(TimeProvider time)
{
    private readonly byte[] _processPart = RandomNumberGenerator.GetBytes(5);
    private int _counter = RandomNumberGenerator.GetInt32(0, 0x1000000);

    public string Next()
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)time.GetUtcNow().ToUnixTimeSeconds());
        _processPart.CopyTo(bytes[4..]);
        var counter = Interlocked.Increment(ref _counter) & 0xFFFFFF;
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Whether <paramref name="value"/> has the shape of an id this generator makes.</summary>
    public static bool IsObjectId(string? value) =>
        value is { Length: 24 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
