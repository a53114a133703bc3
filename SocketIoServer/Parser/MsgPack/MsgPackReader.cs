using System.Buffers.Binary;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>What one MessagePack value is, as npm <c>notepack.io</c> 2.2 decodes it.</summary>
internal enum MsgPackToken : byte
{
    Nil,
    Boolean,
    /// <summary>Any integer form whose value fits a long (<see cref="MsgPackReader.Int64"/>).</summary>
    Integer,
    /// <summary>A uint64 above long.MaxValue (<see cref="MsgPackReader.UInt64"/>).</summary>
    BigUnsigned,
    /// <summary>float32 or float64 (<see cref="MsgPackReader.Double"/>).</summary>
    Float,
    String,
    /// <summary>bin 8/16/32, and ext 8/16/32 of type 0, which notepack reads as an ArrayBuffer.</summary>
    Binary,
    Array,
    Map,
    /// <summary>fixext 1 of type 0: JavaScript <c>undefined</c>.</summary>
    Undefined,
    /// <summary>fixext 8 of type 0: a JavaScript Date (<see cref="MsgPackReader.Double"/> = milliseconds since 1970).</summary>
    Date,
    /// <summary>Any other extension, which notepack returns as the array <c>[type, Buffer]</c>.</summary>
    Ext,
}

/// <summary>
/// Reads MessagePack values one header at a time over a span that holds the whole message (pure; no I/O). Every
/// length is checked against what is left, so a hostile length can neither read past the end nor make us allocate
/// for data that is not there; any malformed input throws <see cref="PacketParseException"/>.
/// </summary>
internal ref struct MsgPackReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public int Position
    {
        readonly get => _position;
        set => _position = value;
    }

    public readonly int Remaining => _data.Length - _position;

    /// <summary>The kind of the value last read.</summary>
    public MsgPackToken Token { get; private set; }

    public bool Boolean { get; private set; }

    public long Int64 { get; private set; }

    public ulong UInt64 { get; private set; }

    public double Double { get; private set; }

    /// <summary>Element count of an array, entry count of a map.</summary>
    public int Count { get; private set; }

    /// <summary>The type code of an <see cref="MsgPackToken.Ext"/>.</summary>
    public sbyte ExtType { get; private set; }

    /// <summary>The bytes of a string (UTF-8), binary or extension.</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>The value as a JavaScript number, for a numeric token.</summary>
    public readonly double Number => Token switch
    {
        MsgPackToken.Integer => Int64,
        MsgPackToken.BigUnsigned => UInt64,
        _ => Double,
    };

    public readonly bool IsNumber => Token is MsgPackToken.Integer or MsgPackToken.BigUnsigned or MsgPackToken.Float;

    /// <summary>Reads the next value's header; strings, binaries and extensions come with their bytes.</summary>
    public void Read()
    {
        var prefix = Take(1)[0];
        if (prefix < 0x80) { SetInteger(prefix); return; }
        if (prefix < 0x90) { SetContainer(MsgPackToken.Map, prefix & 0x0f); return; }
        if (prefix < 0xa0) { SetContainer(MsgPackToken.Array, prefix & 0x0f); return; }
        if (prefix < 0xc0) { SetBytes(MsgPackToken.String, prefix & 0x1f); return; }
        if (prefix >= 0xe0) { SetInteger((sbyte)prefix); return; }

        switch (prefix)
        {
            case 0xc0: Token = MsgPackToken.Nil; return;
            case 0xc2: SetBoolean(false); return;
            case 0xc3: SetBoolean(true); return;
            case 0xc4: SetBytes(MsgPackToken.Binary, Take(1)[0]); return;
            case 0xc5: SetBytes(MsgPackToken.Binary, BinaryPrimitives.ReadUInt16BigEndian(Take(2))); return;
            case 0xc6: SetBytes(MsgPackToken.Binary, BinaryPrimitives.ReadUInt32BigEndian(Take(4))); return;
            case 0xc7: ReadExt(Take(1)[0]); return;
            case 0xc8: ReadExt(BinaryPrimitives.ReadUInt16BigEndian(Take(2))); return;
            case 0xc9: ReadExt(BinaryPrimitives.ReadUInt32BigEndian(Take(4))); return;
            case 0xca: SetFloat(BinaryPrimitives.ReadSingleBigEndian(Take(4))); return;
            case 0xcb: SetFloat(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); return;
            case 0xcc: SetInteger(Take(1)[0]); return;
            case 0xcd: SetInteger(BinaryPrimitives.ReadUInt16BigEndian(Take(2))); return;
            case 0xce: SetInteger(BinaryPrimitives.ReadUInt32BigEndian(Take(4))); return;
            case 0xcf:
                var unsigned = BinaryPrimitives.ReadUInt64BigEndian(Take(8));
                if (unsigned <= long.MaxValue) SetInteger((long)unsigned);
                else { Token = MsgPackToken.BigUnsigned; UInt64 = unsigned; }
                return;
            case 0xd0: SetInteger((sbyte)Take(1)[0]); return;
            case 0xd1: SetInteger(BinaryPrimitives.ReadInt16BigEndian(Take(2))); return;
            case 0xd2: SetInteger(BinaryPrimitives.ReadInt32BigEndian(Take(4))); return;
            case 0xd3: SetInteger(BinaryPrimitives.ReadInt64BigEndian(Take(8))); return;
            case 0xd4: ReadFixExt(1); return;
            case 0xd5: ReadFixExt(2); return;
            case 0xd6: ReadFixExt(4); return;
            case 0xd7: ReadFixExt(8); return;
            case 0xd8: ReadFixExt(16); return;
            case 0xd9: SetBytes(MsgPackToken.String, Take(1)[0]); return;
            case 0xda: SetBytes(MsgPackToken.String, BinaryPrimitives.ReadUInt16BigEndian(Take(2))); return;
            case 0xdb: SetBytes(MsgPackToken.String, BinaryPrimitives.ReadUInt32BigEndian(Take(4))); return;
            case 0xdc: SetContainer(MsgPackToken.Array, BinaryPrimitives.ReadUInt16BigEndian(Take(2))); return;
            case 0xdd: SetContainer(MsgPackToken.Array, BinaryPrimitives.ReadUInt32BigEndian(Take(4))); return;
            case 0xde: SetContainer(MsgPackToken.Map, BinaryPrimitives.ReadUInt16BigEndian(Take(2))); return;
            case 0xdf: SetContainer(MsgPackToken.Map, BinaryPrimitives.ReadUInt32BigEndian(Take(4))); return;
            default: throw new PacketParseException($"invalid msgpack: 0x{prefix:x2} is not a type (at byte {_position - 1})");
        }
    }

    private ReadOnlySpan<byte> Take(long length)
    {
        if (length > Remaining)
            throw new PacketParseException(
                $"invalid msgpack: {length} bytes announced at byte {_position}, {Remaining} left (truncated or bad length)");
        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    private void SetInteger(long value)
    {
        Token = MsgPackToken.Integer;
        Int64 = value;
    }

    private void SetFloat(double value)
    {
        Token = MsgPackToken.Float;
        Double = value;
    }

    private void SetBoolean(bool value)
    {
        Token = MsgPackToken.Boolean;
        Boolean = value;
    }

    private void SetBytes(MsgPackToken token, long length)
    {
        Bytes = Take(length);
        Token = token;
    }

    private void SetContainer(MsgPackToken token, long count)
    {
        // every element takes at least one byte (a map entry two): a count beyond that cannot be honest, and
        // refusing it here keeps a 4-byte header from announcing four billion values
        var minimum = token == MsgPackToken.Map ? count * 2 : count;
        if (minimum > Remaining)
            throw new PacketParseException(
                $"invalid msgpack: {(token == MsgPackToken.Map ? "map" : "array")} of {count} entries at byte {_position}, only {Remaining} bytes left");
        Token = token;
        Count = (int)count;
    }

    /// <summary>ext 8/16/32: type 0 is an ArrayBuffer to notepack, any other type <c>[type, Buffer]</c>.</summary>
    private void ReadExt(long length)
    {
        var type = (sbyte)Take(1)[0];
        Bytes = Take(length);
        ExtType = type;
        Token = type == 0 ? MsgPackToken.Binary : MsgPackToken.Ext;
    }

    /// <summary>fixext: type 0 is undefined in a fixext 1 and a Date in a fixext 8; anything else <c>[type, Buffer]</c>.</summary>
    private void ReadFixExt(int length)
    {
        var type = (sbyte)Take(1)[0];
        var bytes = Take(length);
        if (type == 0 && length == 1)
        {
            Token = MsgPackToken.Undefined;
        }
        else if (type == 0 && length == 8)
        {
            // notepack: readInt32BE(high) * 2^32 + readUInt32BE(low), in double arithmetic
            Token = MsgPackToken.Date;
            Double = BinaryPrimitives.ReadInt32BigEndian(bytes) * 4294967296.0 + BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        }
        else
        {
            Token = MsgPackToken.Ext;
            ExtType = type;
            Bytes = bytes;
        }
    }
}
