using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// MessagePack primitives written with the choices of npm <c>notepack.io</c> 2.2 (what <c>socket.io-msgpack-parser</c>
/// uses), so that our bytes equal Node's: every number is a JavaScript number, written as the smallest integer form
/// when it is whole and finite and as float64 otherwise (never float32); strings, binaries, arrays and maps take the
/// smallest header that fits.
/// </summary>
internal readonly ref struct MsgPackWriter(IBufferWriter<byte> output)
{
    private const double TwoPow32 = 4294967296.0;

    public void WriteNil() => WriteByte(0xc0);

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xc3 : (byte)0xc2);

    /// <summary>JavaScript <c>undefined</c>: notepack's fixext 1 of type 0 with a zero data byte.</summary>
    public void WriteUndefined()
    {
        var span = output.GetSpan(3);
        span[0] = 0xd4;
        span[1] = 0;
        span[2] = 0;
        output.Advance(3);
    }

    /// <summary>An exact integer, in the form notepack picks for the same value.</summary>
    public void WriteInteger(long value)
    {
        if (value >= 0)
        {
            WriteUnsigned((ulong)value);
            return;
        }
        if (value >= -0x20)
        {
            WriteByte((byte)value); // negative fixint
        }
        else if (value >= sbyte.MinValue)
        {
            var span = output.GetSpan(2);
            span[0] = 0xd0;
            span[1] = (byte)value;
            output.Advance(2);
        }
        else if (value >= short.MinValue)
        {
            var span = output.GetSpan(3);
            span[0] = 0xd1;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            output.Advance(3);
        }
        else if (value >= int.MinValue)
        {
            var span = output.GetSpan(5);
            span[0] = 0xd2;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            output.Advance(5);
        }
        else
        {
            var span = output.GetSpan(9);
            span[0] = 0xd3;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            output.Advance(9);
        }
    }

    public void WriteUnsigned(ulong value)
    {
        if (value < 0x80)
        {
            WriteByte((byte)value); // positive fixint
        }
        else if (value < 0x100)
        {
            var span = output.GetSpan(2);
            span[0] = 0xcc;
            span[1] = (byte)value;
            output.Advance(2);
        }
        else if (value < 0x10000)
        {
            var span = output.GetSpan(3);
            span[0] = 0xcd;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            output.Advance(3);
        }
        else if (value < 0x100000000)
        {
            var span = output.GetSpan(5);
            span[0] = 0xce;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            output.Advance(5);
        }
        else
        {
            var span = output.GetSpan(9);
            span[0] = 0xcf;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            output.Advance(9);
        }
    }

    /// <summary>
    /// A JavaScript number as notepack writes it: whole and finite → integer forms (beyond 64 bits, the high and low
    /// words as notepack computes them with 32-bit JavaScript arithmetic); anything else (fractions, NaN, ±Infinity)
    /// → float64.
    /// </summary>
    public void WriteNumber(double value)
    {
        if (!double.IsFinite(value) || Math.Floor(value) != value)
        {
            WriteFloat64(value);
        }
        else if (value >= 0)
        {
            // -0 lands here too and is written as 0, as notepack does
            if (value < TwoPow32) WriteUnsigned((ulong)value);
            else WriteWords(0xcf, ToUint32(Math.Truncate(value / TwoPow32)), ToUint32(value)); // (value / 2^32) >> 0
        }
        else
        {
            if (value >= int.MinValue) WriteInteger((long)value);
            else WriteWords(0xd3, ToUint32(Math.Floor(value / TwoPow32)), ToUint32(value));
        }
    }

    public void WriteFloat64(double value)
    {
        var span = output.GetSpan(9);
        span[0] = 0xcb;
        // V8 writes the one canonical quiet NaN; .NET's double.NaN has the sign bit set
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], double.IsNaN(value) ? BitConverter.Int64BitsToDouble(0x7ff8000000000000) : value);
        output.Advance(9);
    }

    /// <summary>A string as UTF-8 (lone surrogates become U+FFFD, as Node's <c>Buffer.write</c> does).</summary>
    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteStringHeader(length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    /// <summary>A string already in UTF-8.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    public void WriteStringHeader(int length)
    {
        if (length < 0x20) WriteByte((byte)(0xa0 | length));
        else WriteHeader(length, 0xd9, 0xda, 0xdb);
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteHeader(value.Length, 0xc4, 0xc5, 0xc6);
        WriteRaw(value);
    }

    public void WriteArrayHeader(int count)
    {
        if (count < 0x10) WriteByte((byte)(0x90 | count));
        else WriteHeader16Or32(count, 0xdc, 0xdd);
    }

    public void WriteMapHeader(int count)
    {
        if (count < 0x10) WriteByte((byte)(0x80 | count));
        else WriteHeader16Or32(count, 0xde, 0xdf);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void WriteHeader(int length, byte code8, byte code16, byte code32)
    {
        if (length < 0x100)
        {
            var span = output.GetSpan(2);
            span[0] = code8;
            span[1] = (byte)length;
            output.Advance(2);
        }
        else
        {
            WriteHeader16Or32(length, code16, code32);
        }
    }

    private void WriteHeader16Or32(int length, byte code16, byte code32)
    {
        if (length < 0x10000)
        {
            var span = output.GetSpan(3);
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            output.Advance(3);
        }
        else
        {
            var span = output.GetSpan(5);
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            output.Advance(5);
        }
    }

    private void WriteWords(byte code, uint high, uint low)
    {
        var span = output.GetSpan(9);
        span[0] = code;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], high);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], low);
        output.Advance(9);
    }

    /// <summary>JavaScript's ToUint32 of a finite number: its integer part modulo 2^32.</summary>
    private static uint ToUint32(double value)
    {
        var m = Math.Truncate(value) % TwoPow32;
        if (m < 0) m += TwoPow32;
        return (uint)m;
    }
}
