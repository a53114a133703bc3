using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.Task5;

/// <summary>
/// Seed 001's acknowledgement shapes: <c>{success:true}</c>, <c>{success:true, data}</c>, <c>{success:false, error}</c>.
/// The refusals the seed words itself (<c>"Cannot join this room"</c>, <c>"Not a room member"</c>, the
/// <c>"Failed to ..."</c> of an unexpected failure) go out exactly as the seed sends them; the ones it never had (bad
/// input) keep that shape and add seed 002's <c>code</c> and the <c>correlationId</c> they were logged under.
/// </summary>
public static class Task5Ack
{
    public static JsonObject Ok() => new() { ["success"] = true };

    public static JsonObject WithData(JsonNode? data) => new() { ["success"] = true, ["data"] = data };

    public static JsonObject Error(ChatError error) => error.Code is ChatErrorCode.Forbidden or ChatErrorCode.Internal
        ? new JsonObject { ["success"] = false, ["error"] = error.Message }
        : new JsonObject
        {
            ["success"] = false,
            ["error"] = error.Message,
            ["code"] = error.Code.WireName(),
            ["correlationId"] = error.CorrelationId,
        };
}
