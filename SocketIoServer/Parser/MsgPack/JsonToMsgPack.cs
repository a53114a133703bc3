using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// Rewrites one JSON value (written by our JSON machinery, so with the encoder's binary marker objects in place of
/// binary values) as msgpack, with notepack's number and header choices. A msgpack header carries its element count,
/// JSON's does not: a first pass counts the elements of every array and object, the second writes.
/// Allocation-free apart from what the output buffer grows by.
/// </summary>
internal static class JsonToMsgPack
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = SocketIoJson.MaxDepth + 1 };

    /// <summary>Reusable state of one encoder.</summary>
    internal sealed class Scratch
    {
        public readonly List<int> Counts = new(16);
        public readonly int[] Open = new int[SocketIoJson.MaxDepth + 2];
    }

    /// <param name="json">One JSON value.</param>
    /// <param name="binaries">The binary values, in the order of their marker objects' numbers.</param>
    /// <param name="marker">The marker objects' only property name.</param>
    /// <param name="scratch">The encoder's reusable counting state.</param>
    /// <param name="writer">Where the msgpack goes.</param>
    /// <param name="undefinedKey">
    /// When not empty and the value is an object without this key, the key is added at its end with
    /// <c>undefined</c>: the packets where Node.js always writes a key, undefined or not (see MsgPackPacketParser).
    /// </param>
    public static void Transcode(ReadOnlySpan<byte> json, List<ReadOnlyMemory<byte>> binaries, ReadOnlySpan<byte> marker,
        Scratch scratch, MsgPackWriter writer, ReadOnlySpan<byte> undefinedKey = default)
    {
        var hasBinaries = binaries.Count > 0;
        var counts = scratch.Counts;
        var open = scratch.Open;
        counts.Clear();

        // pass 1: counts[k] = the number of elements of the k-th array or object to start
        // (open[top] = (its index in counts << 1) | 1 for an object, of the innermost open container)
        var top = -1;
        var rootHasKey = undefinedKey.IsEmpty;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    counts[open[top] >> 1]++;
                    if (top == 0 && !rootHasKey && reader.ValueTextEquals(undefinedKey)) rootHasKey = true;
                    break;
                case JsonTokenType.StartObject when hasBinaries && IsMarker(ref reader, marker, binaries.Count, out _):
                    CountInArray(counts, open, top);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    CountInArray(counts, open, top);
                    open[++top] = counts.Count << 1 | (reader.TokenType == JsonTokenType.StartObject ? 1 : 0);
                    counts.Add(0);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    top--;
                    break;
                default:
                    CountInArray(counts, open, top);
                    break;
            }
        }

        // pass 2
        var next = 0;
        reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    WriteString(ref reader, writer);
                    break;
                case JsonTokenType.StartObject when hasBinaries && IsMarker(ref reader, marker, binaries.Count, out var index):
                    writer.WriteBinary(binaries[index].Span);
                    break;
                case JsonTokenType.StartObject:
                    writer.WriteMapHeader(counts[next++] + (reader.CurrentDepth == 0 && !rootHasKey ? 1 : 0));
                    break;
                case JsonTokenType.EndObject:
                    if (reader.CurrentDepth == 0 && !rootHasKey)
                    {
                        writer.WriteString(undefinedKey);
                        writer.WriteUndefined();
                    }
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteArrayHeader(counts[next++]);
                    break;
                case JsonTokenType.EndArray:
                    break;
                case JsonTokenType.String:
                    WriteString(ref reader, writer);
                    break;
                case JsonTokenType.Number:
                    WriteNumber(ref reader, writer);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    writer.WriteBoolean(reader.TokenType == JsonTokenType.True);
                    break;
                default:
                    writer.WriteNil();
                    break;
            }
        }
    }

    /// <summary>A value inside an array adds one to its count (inside an object, its property name did).</summary>
    private static void CountInArray(List<int> counts, int[] open, int top)
    {
        if (top >= 0 && (open[top] & 1) == 0) counts[open[top] >> 1]++;
    }

    /// <summary>
    /// At <c>{</c>: whether this is a marker object <c>{marker: N}</c>; if so the reader is moved to its <c>}</c>.
    /// </summary>
    private static bool IsMarker(ref Utf8JsonReader reader, ReadOnlySpan<byte> marker, int binaryCount, out int index)
    {
        index = -1;
        var look = reader;
        if (!look.Read() || look.TokenType != JsonTokenType.PropertyName || !look.ValueTextEquals(marker)) return false;
        if (!look.Read() || look.TokenType != JsonTokenType.Number || !look.TryGetInt32(out index)) return false;
        if (!look.Read() || look.TokenType != JsonTokenType.EndObject || index < 0 || index >= binaryCount) return false;
        reader = look;
        return true;
    }

    private static void WriteNumber(ref Utf8JsonReader reader, MsgPackWriter writer)
    {
        // JSON numbers are JavaScript numbers to the receiver; exact integers keep their precision here
        if (reader.TryGetInt64(out var integer)) writer.WriteInteger(integer);
        else if (reader.TryGetUInt64(out var unsigned)) writer.WriteUnsigned(unsigned);
        else if (reader.TryGetDouble(out var number)) writer.WriteNumber(number);
        else writer.WriteNumber(reader.ValueSpan[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity);
    }

    private static void WriteString(ref Utf8JsonReader reader, MsgPackWriter writer)
    {
        if (!reader.ValueIsEscaped)
        {
            writer.WriteString(reader.ValueSpan);
            return;
        }

        // unescaped text is never longer than its escaped form
        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            int length;
            try
            {
                length = reader.CopyString(rented);
            }
            catch (InvalidOperationException)
            {
                // an escaped lone surrogate (JSON text a user parsed and passed on as it was): as UTF-8, U+FFFD
                writer.WriteString(JsonStringUnescaper.Unescape(reader.ValueSpan));
                return;
            }
            writer.WriteString(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
