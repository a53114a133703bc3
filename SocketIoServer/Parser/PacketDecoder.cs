using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketIoServer.Parser;

/// <summary>
/// Decodes Socket.IO packets for one connection (pure; no I/O). Holds the state of a binary packet whose
/// attachments are still arriving. Every malformed input throws <see cref="PacketParseException"/>, with the
/// rules of the Node.js <c>socket.io-parser</c> 4.2.
/// </summary>
public sealed class PacketDecoder(int maxAttachments = 10) : IPacketDecoder
{
    private static readonly string[] ReservedEvents =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    // Duplicate keys are refused rather than resolved: JSON.stringify never writes them, and System.Text.Json's
    // JsonObject cannot hold them.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = SocketIoJson.MaxDepth, AllowDuplicateProperties = false };

    private PendingBinary? _pending;

    private sealed class PendingBinary(PacketType type, string nsp, long? id, JsonNode? data, int expected)
    {
        public readonly List<byte[]> Buffers = new(expected);
        public PacketType Type = type;
        public string Namespace = nsp;
        public long? Id = id;
        public JsonNode? Data = data;
        public int Expected = expected;
    }

    /// <summary>True while a binary packet waits for attachments.</summary>
    public bool IsReconstructing => _pending is not null;

    /// <summary>Decodes a text frame; null when it starts a binary packet whose attachments follow.</summary>
    public SocketIoPacket? DecodeText(ReadOnlySpan<byte> utf8)
    {
        if (_pending is not null) throw new PacketParseException("got plaintext data when reconstructing a packet");

        var header = ParseHeader(utf8, out var dataStart);
        JsonNode? data = null;
        if (dataStart < utf8.Length)
        {
            try
            {
                var json = utf8[dataStart..];
                data = JsonNode.Parse(json, documentOptions: DocumentOptions);
                if (json.IndexOf("\\u"u8) >= 0) ThrowOnLoneSurrogates(json);
            }
            catch (JsonException ex)
            {
                throw new PacketParseException("invalid payload", ex);
            }
            if (!IsPayloadValid(header.Type, data)) throw new PacketParseException("invalid payload");
        }

        if (header.Type is PacketType.BinaryEvent or PacketType.BinaryAck)
        {
            var plainType = header.Type == PacketType.BinaryEvent ? PacketType.Event : PacketType.Ack;
            if (header.Attachments == 0)
                return new SocketIoPacket { Type = plainType, Namespace = header.Namespace, Id = header.Id, Data = data };
            _pending = new PendingBinary(plainType, header.Namespace, header.Id, data, header.Attachments);
            return null;
        }

        return new SocketIoPacket { Type = header.Type, Namespace = header.Namespace, Id = header.Id, Data = data };
    }

    /// <summary>Decodes a binary frame (an attachment); the packet once its last attachment arrived, else null.</summary>
    public SocketIoPacket? DecodeBinary(ReadOnlySpan<byte> data)
    {
        var pending = _pending ?? throw new PacketParseException("got binary data when not reconstructing a packet");
        pending.Buffers.Add(data.ToArray());
        if (pending.Buffers.Count < pending.Expected) return null;

        _pending = null;
        var resolved = pending.Data is null ? null : ResolvePlaceholders(pending.Data, pending.Buffers);
        return new SocketIoPacket
        {
            Type = pending.Type,
            Namespace = pending.Namespace,
            Id = pending.Id,
            Data = resolved,
            Attachments = pending.Expected,
        };
    }

    /// <summary>
    /// An escaped lone UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON but no .NET string can hold it; refusing it here
    /// keeps it from failing later inside a handler. Only payloads with escapes pay for this check.
    /// </summary>
    private static void ThrowOnLoneSurrogates(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = SocketIoJson.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try { reader.GetString(); }
                catch (InvalidOperationException ex) { throw new PacketParseException("invalid payload", ex); }
            }
        }
    }

    /// <summary>Drops a half-received binary packet (the connection closed).</summary>
    public void Reset() => _pending = null;

    private readonly record struct Header(PacketType Type, int Attachments, string Namespace, long? Id);

    private Header ParseHeader(ReadOnlySpan<byte> s, out int dataStart)
    {
        // Number(str.charAt(0)): "" and white space are 0 (CONNECT), anything but a digit is NaN
        var typeValue = s.IsEmpty || IsSpace(s[0]) ? 0 : IsDigit(s[0]) ? s[0] - '0' : -1;
        if (typeValue < 0) throw new PacketParseException("unknown packet type NaN");
        if (typeValue > 6) throw new PacketParseException("unknown packet type " + typeValue);
        var type = (PacketType)typeValue;
        var i = 0;

        var attachments = 0;
        if (type is PacketType.BinaryEvent or PacketType.BinaryAck)
        {
            var start = i + 1;
            while (++i < s.Length && s[i] != (byte)'-') { }
            if (i >= s.Length || i == start) throw new PacketParseException("Illegal attachments");
            var count = JsNumber.Parse(Encoding.UTF8.GetString(s[start..i]));
            if (double.IsNaN(count) || double.IsInfinity(count) || count != Math.Floor(count) || count < 1)
                throw new PacketParseException("Illegal attachments");
            if (count > maxAttachments) throw new PacketParseException("too many attachments");
            attachments = (int)count;
        }

        var nsp = "/";
        if (i + 1 < s.Length && s[i + 1] == (byte)'/')
        {
            var start = i + 1;
            while (++i < s.Length && s[i] != (byte)',') { }
            nsp = Encoding.UTF8.GetString(s[start..i]);
        }

        long? id = null;
        if (i + 1 < s.Length && IsNumericChar(s[i + 1]))
        {
            var start = i + 1;
            while (i + 1 < s.Length && IsNumericChar(s[i + 1])) i++;
            var value = JsNumber.Parse(Encoding.ASCII.GetString(s[start..(i + 1)]));
            // Number() of digits with white space inside is NaN; Node.js would answer with a NaN id
            if (double.IsNaN(value) || value > 9.2e18) throw new PacketParseException("invalid ack id");
            id = (long)value;
        }

        dataStart = i + 1;
        return new Header(type, attachments, nsp, id);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    /// <summary><c>Number(c) == c</c> for one ASCII character: a digit or white space.</summary>
    private static bool IsNumericChar(byte b) => IsDigit(b) || IsSpace(b);

    private static bool IsDigit(byte b) => b >= (byte)'0' && b <= (byte)'9';

    private static bool IsPayloadValid(PacketType type, JsonNode? payload) => type switch
    {
        PacketType.Connect => payload is JsonObject,
        PacketType.Disconnect => false, // a DISCONNECT carries no payload
        PacketType.ConnectError => payload is JsonObject || (payload is JsonValue v && v.GetValueKind() == JsonValueKind.String),
        PacketType.Event or PacketType.BinaryEvent => payload is JsonArray { Count: > 0 } a && IsValidEventName(a[0]),
        PacketType.Ack or PacketType.BinaryAck => payload is JsonArray,
        _ => false,
    };

    private static bool IsValidEventName(JsonNode? first)
    {
        if (first is not JsonValue v) return false;
        return v.GetValueKind() switch
        {
            JsonValueKind.Number => true,
            JsonValueKind.String => Array.IndexOf(ReservedEvents, v.GetValue<string>()) < 0,
            _ => false,
        };
    }

    /// <summary>Puts each attachment back where its placeholder stands; a placeholder with a bad index is an error.</summary>
    private static JsonNode? ResolvePlaceholders(JsonNode node, List<byte[]> buffers)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue("_placeholder", out var flag) && flag is JsonValue fv
                    && fv.GetValueKind() == JsonValueKind.True)
                {
                    if (obj.TryGetPropertyValue("num", out var numNode) && numNode is JsonValue nv
                        && nv.GetValueKind() == JsonValueKind.Number && nv.TryGetValue<int>(out var num)
                        && num >= 0 && num < buffers.Count)
                        return JsonValue.Create(buffers[num]);
                    throw new PacketParseException("illegal attachments");
                }
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    if (child is null) continue;
                    var replaced = ResolvePlaceholders(child, buffers);
                    if (!ReferenceEquals(replaced, child))
                    {
                        obj[key] = null;
                        obj[key] = replaced;
                    }
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var child = array[i];
                    if (child is null) continue;
                    var replaced = ResolvePlaceholders(child, buffers);
                    if (!ReferenceEquals(replaced, child))
                    {
                        array[i] = null;
                        array[i] = replaced;
                    }
                }
                return array;
            default:
                return node;
        }
    }
}
