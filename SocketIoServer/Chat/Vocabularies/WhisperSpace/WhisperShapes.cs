using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.WhisperSpace;

/// <summary>The objects seed 000 sends, field for field and in its order.</summary>
public static class WhisperShapes
{
    /// <summary>
    /// <c>new_message</c>: <c>{_id, content, sender:{_id, username, isOnline:true}, room, messageType, createdAt, isEdited:false}</c>.
    /// </summary>
    public static JsonObject Message(string id, string content, string senderId, string senderName, string room, string messageType, DateTimeOffset createdAt) => new()
    {
        ["_id"] = id,
        ["content"] = content,
        ["sender"] = new JsonObject { ["_id"] = senderId, ["username"] = senderName, ["isOnline"] = true },
        ["room"] = room,
        ["messageType"] = messageType,
        ["createdAt"] = JsTime.Iso(createdAt),
        ["isEdited"] = false,
    };

    /// <summary>
    /// One entry of <c>users_online</c>: the seed's <c>onlineUsers</c> value <c>{socketId, username, userId, rooms}</c>,
    /// whose <c>rooms</c> is a JavaScript <c>Set</c> and so goes over the wire as <c>{}</c>.
    /// </summary>
    public static JsonObject OnlineUser(string socketId, string username, string userId) => new()
    {
        ["socketId"] = socketId,
        ["username"] = username,
        ["userId"] = userId,
        ["rooms"] = new JsonObject(),
    };

    /// <summary><c>user_typing</c> / <c>user_stop_typing</c>: <c>{username, userId}</c>.</summary>
    public static JsonObject Typist(string username, string userId) => new() { ["username"] = username, ["userId"] = userId };

    /// <summary>The seed's <c>error</c> event: <c>{message}</c>, and <c>code</c> (seed 002's list) where the seed is silent.</summary>
    public static JsonObject Error(string message, ChatErrorCode? code = null)
    {
        var json = new JsonObject { ["message"] = message };
        if (code is { } c) json["code"] = c.WireName();
        return json;
    }

    /// <summary>The seed's message id: <c>Date.now() + '-' + Math.random().toString(36).substr(2, 9)</c>.</summary>
    public static string NewMessageId(DateTimeOffset now)
    {
        const string Base36 = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> random = stackalloc char[9];
        for (var i = 0; i < random.Length; i++) random[i] = Base36[RandomNumberGenerator.GetInt32(Base36.Length)];
        return now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + new string(random);
    }
}
