using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SocketIoServer.Engine;

internal readonly record struct EngineError(EngineErrorCode Code, string? Detail = null)
{
    public string Message => Detail ?? EngineErrorMessages.Of(Code);
}

public sealed partial class EngineServer
{
    /// <summary>The checks of Node.js's <c>verify()</c>, in its order; null when the request may go on.</summary>
    private async ValueTask<EngineError?> VerifyAsync(HttpContext context, bool isUpgrade)
    {
        var query = context.Request.Query;
        var transport = query["transport"].ToString();
        if (!Options.Transports.Contains(transport))
            return new EngineError(EngineErrorCode.UnknownTransport);

        if (context.Request.Headers.Origin.ToString() is { Length: > 0 } origin && HasInvalidHeaderChar(origin))
            return new EngineError(EngineErrorCode.BadRequest);

        var sid = query["sid"].ToString();
        if (sid.Length > 0)
        {
            if (!_clients.TryGetValue(sid, out var connection))
                return new EngineError(EngineErrorCode.UnknownSid);
            if (!isUpgrade && connection.TransportName != transport)
                return new EngineError(EngineErrorCode.BadRequest);
            if (isUpgrade && (transport != TransportNames.WebSocket || !Options.AllowUpgrades))
                return new EngineError(EngineErrorCode.BadRequest);
            return null;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
            return new EngineError(EngineErrorCode.BadHandshakeMethod);

        if (transport == TransportNames.WebSocket && !isUpgrade)
            return new EngineError(EngineErrorCode.BadRequest);

        if (Options.AllowRequest is { } allow)
        {
            string? refusal;
            try
            {
                refusal = await allow(context);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed("allowRequest", ex);
                refusal = EngineErrorMessages.Of(EngineErrorCode.Forbidden);
            }
            if (refusal is not null)
                return new EngineError(EngineErrorCode.Forbidden, refusal.Length > 0 ? refusal : null);
        }
        return null;
    }

    private static bool HasInvalidHeaderChar(string value)
    {
        foreach (var c in value)
        {
            if (c == '\t') continue;
            if (c < 0x20 || c == 0x7F || c > 0xFF) return true;
        }
        return false;
    }

    /// <summary>
    /// HTTP: 400 (403 when forbidden) with <c>{"code":N,"message":"..."}</c>. A refused WebSocket upgrade gets a
    /// 400 with the message as text/html, as Node.js writes on the raw socket.
    /// </summary>
    private static async Task WriteErrorAsync(HttpContext context, EngineError error, bool isUpgrade)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        if (isUpgrade)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "text/html";
            response.Headers.Connection = "close";
            var text = System.Text.Encoding.UTF8.GetBytes(error.Message);
            response.ContentLength = text.Length;
            await response.Body.WriteAsync(text);
            return;
        }

        response.StatusCode = error.Code == EngineErrorCode.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody((int)error.Code, error.Message), EngineJsonContext.Default.ErrorBody);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }
}

internal sealed record ErrorBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("code")] int Code,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);

[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
internal sealed partial class EngineJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
