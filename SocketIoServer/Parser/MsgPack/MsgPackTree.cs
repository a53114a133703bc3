using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// Turns a msgpack value into the <see cref="JsonNode"/> the JSON parser would have produced for the same JavaScript
/// value, in two passes: <see cref="Scan"/> checks the whole value (lengths, depth, string keys) and writes its
/// numbers as one JSON array; <see cref="Build"/> then makes the tree, taking its numbers from that array parsed
/// once. Numbers thus are the same kind of <see cref="JsonValue"/> as the JSON parser's, so <c>GetValue&lt;int&gt;()</c>,
/// <c>GetValue&lt;double&gt;()</c> and the rest behave the same whichever parser a server uses.
/// </summary>
/// <remarks>
/// What JSON cannot hold maps to what <c>JSON.stringify</c> would have made of the JavaScript value, i.e. what a JSON
/// client would have sent: <c>undefined</c> drops the key (null in an array), a Date becomes its ISO string, NaN and
/// ±Infinity become null. A map key must be a string (notepack never writes another); <c>__proto__</c> keys are
/// dropped, as a JavaScript object assigned one does not show it. Duplicate keys: the last value wins, in place.
/// </remarks>
internal static class MsgPackTree
{
    /// <summary>Collects the numbers of a value as the text of one JSON array.</summary>
    internal sealed class NumberSink
    {
        private readonly ArrayBufferWriter<byte> _json = new(256);

        public int Count { get; private set; }

        public void Clear()
        {
            _json.ResetWrittenCount();
            Count = 0;
        }

        public void Add(ref MsgPackReader reader)
        {
            var span = _json.GetSpan(40);
            span[0] = Count == 0 ? (byte)'[' : (byte)',';
            int written;
            switch (reader.Token)
            {
                case MsgPackToken.Integer:
                    Utf8Formatter.TryFormat(reader.Int64, span[1..], out written);
                    break;
                case MsgPackToken.BigUnsigned:
                    Utf8Formatter.TryFormat(reader.UInt64, span[1..], out written);
                    break;
                case MsgPackToken.Ext:
                    Utf8Formatter.TryFormat(reader.ExtType, span[1..], out written);
                    break;
                default:
                    var d = reader.Double;
                    // whole values as integers, as JavaScript prints them (GetValue<int>() must work on 3.0)
                    if (Math.Floor(d) == d && Math.Abs(d) < 9.2e18) Utf8Formatter.TryFormat((long)d, span[1..], out written);
                    else d.TryFormat(span[1..], out written, "R", CultureInfo.InvariantCulture);
                    break;
            }
            _json.Advance(written + 1);
            Count++;
        }

        /// <summary>The numbers as detached nodes, in the order they were added.</summary>
        public JsonNode?[] ToNodes()
        {
            if (Count == 0) return [];
            _json.GetSpan(1)[0] = (byte)']';
            _json.Advance(1);
            var array = JsonNode.Parse(_json.WrittenSpan)!.AsArray();
            var nodes = new JsonNode?[array.Count];
            ((ICollection<JsonNode?>)array).CopyTo(nodes, 0);
            array.Clear(); // frees each node of its parent, so it can go into the tree
            return nodes;
        }
    }

    /// <summary>Where <see cref="Build"/> takes its numbers from, and what it counts.</summary>
    internal ref struct BuildState(JsonNode?[] numbers)
    {
        private readonly JsonNode?[] _numbers = numbers;
        private int _next;

        public int Binaries;

        public JsonNode? NextNumber() => _numbers[_next++];
    }

    /// <summary>Numbers, and the type code of an extension (notepack's <c>[type, Buffer]</c>); NaN and ±Infinity are not.</summary>
    private static bool IsCollected(ref MsgPackReader reader) =>
        reader.Token is MsgPackToken.Integer or MsgPackToken.BigUnsigned or MsgPackToken.Ext
        || (reader.Token == MsgPackToken.Float && double.IsFinite(reader.Double));

    /// <summary>
    /// Checks the value whose header <paramref name="reader"/> just read (reading its elements), at nesting
    /// <paramref name="depth"/> (1 for the payload itself); adds its numbers to <paramref name="numbers"/> when given.
    /// </summary>
    public static void Scan(ref MsgPackReader reader, int depth, NumberSink? numbers)
    {
        switch (reader.Token)
        {
            case MsgPackToken.Array:
                CheckDepth(depth);
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    Scan(ref reader, depth + 1, numbers);
                }
                break;
            case MsgPackToken.Map:
                CheckDepth(depth);
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    CheckKey(ref reader);
                    reader.Read();
                    Scan(ref reader, depth + 1, numbers);
                }
                break;
            default:
                if (numbers is not null && IsCollected(ref reader)) numbers.Add(ref reader);
                break;
        }
    }

    /// <summary>
    /// Builds the value whose header <paramref name="reader"/> just read, already checked by <see cref="Scan"/>;
    /// <paramref name="undefined"/> tells a JavaScript <c>undefined</c> (returned as null) from a null.
    /// </summary>
    public static JsonNode? Build(ref MsgPackReader reader, ref BuildState state, out bool undefined)
    {
        undefined = false;
        switch (reader.Token)
        {
            case MsgPackToken.Nil:
                return null;
            case MsgPackToken.Boolean:
                return JsonValue.Create(reader.Boolean);
            case MsgPackToken.Integer or MsgPackToken.BigUnsigned or MsgPackToken.Float:
                return IsCollected(ref reader) ? state.NextNumber() : null; // NaN and ±Infinity: null, as JSON.stringify
            case MsgPackToken.String:
                return JsonValue.Create(Encoding.UTF8.GetString(reader.Bytes));
            case MsgPackToken.Binary:
                state.Binaries++;
                return JsonValue.Create(reader.Bytes.ToArray());
            case MsgPackToken.Undefined:
                undefined = true;
                return null;
            case MsgPackToken.Date:
                return JsDate.ToJson(reader.Double) is { } iso ? JsonValue.Create(iso) : null;
            case MsgPackToken.Ext:
                state.Binaries++;
                return new JsonArray(state.NextNumber(), JsonValue.Create(reader.Bytes.ToArray()));
            case MsgPackToken.Array:
                var items = new JsonNode?[reader.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    reader.Read();
                    items[i] = Build(ref reader, ref state, out _); // undefined in an array: null, as JSON.stringify
                }
                return new JsonArray(items);
            default: // Map
                var map = new JsonObject();
                for (var i = reader.Count; i > 0; i--)
                {
                    reader.Read();
                    var key = Encoding.UTF8.GetString(reader.Bytes);
                    reader.Read();
                    var value = Build(ref reader, ref state, out var isUndefined);
                    if (key == "__proto__") continue;
                    if (isUndefined) map.Remove(key);
                    else map[key] = value;
                }
                return map;
        }
    }

    internal static void CheckKey(ref MsgPackReader reader)
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
