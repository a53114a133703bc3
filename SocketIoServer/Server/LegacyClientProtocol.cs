using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using SocketIoServer.Parser;

namespace SocketIoServer.Server;

/// <summary>
/// What Node.js's socket.io 4.8 does differently for clients on Engine.IO v3 (socket.io-client 2.x, Socket.IO
/// protocol revision 4; <c>conn.protocol === 3</c> in its sources), in one place so the v4 paths stay as they are:
/// socket ids made from the engine id, a CONNECT reply without payload, a refusal carrying the error's data or
/// message alone, and namespaces read as URLs whose query is the auth payload.
/// </summary>
internal static class LegacyClientProtocol
{
    /// <summary>The engine id for "/", <c>nsp#engineId</c> for other namespaces.</summary>
    public static string SocketId(string nsp, string engineId) => nsp == "/" ? engineId : nsp + "#" + engineId;

    /// <summary>CONNECT without payload: <c>40</c>, <c>40/chat,</c>.</summary>
    public static EncodedPacket ConnectReply(string nsp) => PacketEncoder.EncodeObject("4"u8, PacketType.Connect, nsp, null);

    /// <summary>
    /// CONNECT_ERROR for a middleware's refusal: Node.js sends <c>err.data || err.message</c>, which 2.x clients
    /// emit as their <c>error</c> event.
    /// </summary>
    public static EncodedPacket ConnectError(string nsp, Exception refusal)
    {
        var data = refusal is ConnectionRefusedException { ErrorData: { } d } && !IsFalsy(d) ? d : refusal.Message;
        return PacketEncoder.EncodeObject("4"u8, PacketType.ConnectError, nsp, data);
    }

    /// <summary>
    /// The packet with its namespace read as Node.js reads it for v3 clients, <c>new URL(nsp, "https://socket.io")</c>:
    /// the path is the namespace and, for CONNECT, the query parameters are the auth payload (2.x clients send
    /// <c>0/chat?token=abc,</c>). Null when the namespace is not a URL (Node.js closes the connection).
    /// </summary>
    public static SocketIoPacket? WithNamespacePath(SocketIoPacket packet)
    {
        var nsp = packet.Namespace;
        if (IsPlainPath(nsp))
        {
            return packet.Type == PacketType.Connect
                ? new SocketIoPacket { Type = packet.Type, Namespace = nsp, Id = packet.Id, Data = new JsonObject() }
                : packet;
        }

        if (!NamespaceUrl.TryParse(nsp, out var path, out var query)) return null;
        var data = packet.Data;
        if (packet.Type == PacketType.Connect)
        {
            // URLSearchParams, then Object.fromEntries: '+' is a space, the last of repeated names wins
            var auth = new JsonObject();
            foreach (var (name, values) in QueryHelpers.ParseQuery(query))
                auth[name] = values.Count > 0 ? values[values.Count - 1] : "";
            data = auth;
        }
        return new SocketIoPacket { Type = packet.Type, Namespace = path, Id = packet.Id, Data = data, Attachments = packet.Attachments };
    }

    /// <summary>A namespace that reads as a URL path unchanged (the usual "/", "/chat"): no parsing needed.</summary>
    private static bool IsPlainPath(string nsp)
    {
        if (nsp.Length == 0 || nsp[0] != '/' || nsp.StartsWith("//", StringComparison.Ordinal)) return false;
        foreach (var c in nsp)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')'
                  or '*' or '+' or ',' or ';' or '=' or ':' or '@'))
                return false;
        }
        return true;
    }

    /// <summary>JavaScript's falsy values among what an error's data may be: false, 0, NaN, "".</summary>
    private static bool IsFalsy(object data) => data switch
    {
        bool b => !b,
        string s => s.Length == 0,
        double d => d == 0 || double.IsNaN(d),
        float f => f == 0 || float.IsNaN(f),
        decimal m => m == 0,
        IConvertible c when IsInteger(c) => c.ToInt64(CultureInfo.InvariantCulture) == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False => true,
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) == 0,
            _ => false,
        },
        JsonElement e => e.ValueKind switch
        {
            JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => true,
            JsonValueKind.String => e.GetString()!.Length == 0,
            JsonValueKind.Number => e.GetDouble() == 0,
            _ => false,
        },
        _ => false,
    };

    private static bool IsInteger(IConvertible c) => c.GetTypeCode() is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16
        or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;
}
