using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Engine;
using SocketIoServer.Parser;

namespace SocketIoServer.Bench.Micro;

public sealed record ChatUser(string Id, string Name);

/// <summary>Serialized (web defaults, camelCase) as <c>{"t":...,"text":"...","user":{"id":"u1","name":"Ann"}}</c>.</summary>
public sealed record ChatMessage(long T, string Text, ChatUser User);

/// <summary>The payloads every benchmark shares, built once.</summary>
public static class Payloads
{
    public const long Timestamp = 1_700_000_000_000;

    public static readonly ChatUser Ann = new("u1", "Ann");

    /// <summary>The small chat event argument (~70 bytes of JSON).</summary>
    public static readonly ChatMessage Chat = new(Timestamp, "hello world", Ann);

    /// <summary>The same message with non-ASCII text (2-, 3- and 4-byte UTF-8 sequences).</summary>
    public static readonly ChatMessage ChatUnicode = new(Timestamp, "héllo wörld — こんにちは世界 👋🌍 привет", Ann);

    /// <summary>A chat message whose JSON is about 1 KB.</summary>
    public static readonly ChatMessage Chat1K = new(Timestamp, Lorem(960), Ann);

    /// <summary>The small chat message as a JsonNode (what a handler that relays a decoded payload passes on).</summary>
    public static JsonObject ChatNode() => new()
    {
        ["t"] = Timestamp,
        ["text"] = "hello world",
        ["user"] = new JsonObject { ["id"] = "u1", ["name"] = "Ann" },
    };

    public static byte[] Binary(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The Socket.IO packet text (no Engine.IO prefix) of an event, as a client would send it.</summary>
    public static byte[] EventText(ChatMessage message) =>
        PacketEncoder.EncodeEvent(default, "/", "chat", [message]).Text.ToArray();

    /// <summary>An Engine.IO text frame (type digit included) carrying the chat event.</summary>
    public static OutboundFrame EventFrame(ChatMessage message) =>
        OutboundFrame.Text(PacketEncoder.EncodeEvent("4"u8, "/", "chat", [message]).Text);

    private static string Lorem(int length)
    {
        const string words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ";
        var sb = new StringBuilder(length);
        while (sb.Length < length) sb.Append(words);
        return sb.ToString(0, length);
    }
}
