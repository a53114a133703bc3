namespace SocketIoServer.Chat.Core;

/// <summary>Seed 002's error codes, which every vocabulary and the HTTP API use where their own seed is silent.</summary>
public enum ChatErrorCode
{
    ValidationError,
    Forbidden,
    Unauthorized,
    RateLimited,
    NotFound,
    Internal,
}

public static class ChatErrorCodes
{
    public static string WireName(this ChatErrorCode code) => code switch
    {
        ChatErrorCode.ValidationError => "VALIDATION_ERROR",
        ChatErrorCode.Forbidden => "FORBIDDEN",
        ChatErrorCode.Unauthorized => "UNAUTHORIZED",
        ChatErrorCode.RateLimited => "RATE_LIMITED",
        ChatErrorCode.NotFound => "NOT_FOUND",
        _ => "INTERNAL",
    };

    public static int HttpStatus(this ChatErrorCode code) => code switch
    {
        ChatErrorCode.ValidationError => 400,
        ChatErrorCode.Unauthorized => 401,
        ChatErrorCode.Forbidden => 403,
        ChatErrorCode.NotFound => 404,
        ChatErrorCode.RateLimited => 429,
        _ => 500,
    };
}

/// <summary>A refused request: its code, a message for people, and the correlation id it was logged under.</summary>
public sealed record ChatError(ChatErrorCode Code, string Message, string CorrelationId)
{
    public static ChatError Create(ChatErrorCode code, string message) => new(code, message, Guid.NewGuid().ToString());
}
