using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Http;

/// <summary>CONTRACTS.md section 5's one error shape: <c>{"error": CODE, "message": text, "correlationId": uuid}</c> with the code's status.</summary>
public static class HttpChatError
{
    public static IResult Result(ChatError error) => Results.Json(
        new JsonObject { ["error"] = error.Code.WireName(), ["message"] = error.Message, ["correlationId"] = error.CorrelationId },
        statusCode: error.Code.HttpStatus());
}
