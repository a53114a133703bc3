using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// The acknowledgement shapes of seed 003's events (the seed shows none; docs/contracts/whatsapp.md): success is
/// <c>{success:true, ...}</c>, a refusal <c>{success:false, error, message, correlationId}</c> with seed 002's codes.
/// </summary>
public static class WhatsAppAck
{
    public static JsonObject Ok(params (string Key, JsonNode? Value)[] fields)
    {
        var json = new JsonObject { ["success"] = true };
        foreach (var (key, value) in fields) json[key] = value;
        return json;
    }

    public static JsonObject Error(ChatError error) => new()
    {
        ["success"] = false,
        ["error"] = error.Code.WireName(),
        ["message"] = error.Message,
        ["correlationId"] = error.CorrelationId,
    };
}
