namespace SocketIoServer.Chat.Core;

/// <summary>Thrown inside a handler to refuse the request; the vocabulary answers with <see cref="Error"/> in its own shape.</summary>
public sealed class ChatRefusal(ChatError error) : Exception(error.Message)
{
    public ChatError Error { get; } = error;

    /// <summary>A refusal with a new correlation id.</summary>
    public static ChatRefusal Of(ChatErrorCode code, string message) => new(ChatError.Create(code, message));
}
