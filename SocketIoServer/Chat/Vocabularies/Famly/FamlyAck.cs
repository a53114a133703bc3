using System.Text.Json.Serialization;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Vocabularies.Famly;

/// <summary>Seed 002's acknowledgement shapes: <c>{ok:true}</c>, <c>{ok:true, data}</c>, <c>{ok:false, error, message, correlationId}</c>.</summary>
public static class FamlyAck
{
    public static readonly object Ok = new OkReply(true);

    public static object WithData(object data) => new OkDataReply(true, data);

    public static object Error(ChatError error) => new ErrorReply(false, error.Code.WireName(), error.Message, error.CorrelationId);

    private sealed record OkReply([property: JsonPropertyName("ok")] bool Ok);

    private sealed record OkDataReply([property: JsonPropertyName("ok")] bool Ok, [property: JsonPropertyName("data")] object Data);

    private sealed record ErrorReply(
        [property: JsonPropertyName("ok")] bool Ok,
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("correlationId")] string CorrelationId);
}
