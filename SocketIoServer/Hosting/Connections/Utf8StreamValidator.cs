using System.Text.Unicode;

namespace SocketIoServer.Hosting.Connections;

/// <summary>
/// Checks that a text message is valid UTF-8 as it arrives in pieces (RFC 6455 §8.1): a character split across
/// frames or reads is held back (at most 3 bytes) until its last byte arrives.
/// </summary>
internal struct Utf8StreamValidator
{
    private uint _pending;     // bytes of an unfinished character, first byte lowest
    private int _pendingCount;

    public bool Append(ReadOnlySpan<byte> chunk)
    {
        if (_pendingCount > 0)
        {
            Span<byte> character = stackalloc byte[4];
            for (var i = 0; i < _pendingCount; i++) character[i] = (byte)(_pending >> (8 * i));
            var needed = SequenceLength(character[0]);
            if (needed == 0) return false;
            var take = Math.Min(needed - _pendingCount, chunk.Length);
            chunk[..take].CopyTo(character[_pendingCount..]);
            var have = _pendingCount + take;
            chunk = chunk[take..];
            if (have < needed)
            {
                Hold(character[..have]);
                return PrefixCanStillBeValid(character[..have]);
            }
            _pendingCount = 0;
            if (!Utf8.IsValid(character[..needed])) return false;
        }

        var cut = IncompleteTailStart(chunk);
        if (!Utf8.IsValid(chunk[..cut])) return false;
        Hold(chunk[cut..]);
        return PrefixCanStillBeValid(chunk[cut..]);
    }

    /// <summary>The message ended: no character may be left unfinished.</summary>
    public bool Complete()
    {
        var ok = _pendingCount == 0;
        _pendingCount = 0;
        return ok;
    }

    private void Hold(ReadOnlySpan<byte> bytes)
    {
        _pending = 0;
        for (var i = 0; i < bytes.Length; i++) _pending |= (uint)bytes[i] << (8 * i);
        _pendingCount = bytes.Length;
    }

    /// <summary>Where a trailing character that needs more bytes begins (the length when none does).</summary>
    private static int IncompleteTailStart(ReadOnlySpan<byte> chunk)
    {
        for (var back = 1; back <= 3 && back <= chunk.Length; back++)
        {
            var b = chunk[^back];
            if ((b & 0xC0) == 0x80) continue; // a continuation byte: its lead is further back
            var length = SequenceLength(b);
            return length > back ? chunk.Length - back : chunk.Length;
        }
        return chunk.Length;
    }

    /// <summary>An unfinished character is only held if its lead byte and what follows could still become valid.</summary>
    private static bool PrefixCanStillBeValid(ReadOnlySpan<byte> prefix)
    {
        if (prefix.IsEmpty) return true;
        Span<byte> padded = stackalloc byte[4];
        prefix.CopyTo(padded);
        var length = SequenceLength(prefix[0]);
        if (length == 0) return false;
        // complete it with the smallest continuation bytes that keep each lead's allowed range, then check it
        for (var i = prefix.Length; i < length; i++) padded[i] = 0x80;
        if (prefix.Length == 1)
        {
            if (prefix[0] == 0xE0) padded[1] = 0xA0;
            else if (prefix[0] == 0xF0) padded[1] = 0x90;
        }
        return Utf8.IsValid(padded[..length]);
    }

    private static int SequenceLength(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };
}
