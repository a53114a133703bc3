namespace SocketIoServer.Chat.Storage;

public enum MessagePageStatus
{
    Ok,

    /// <summary>The reader is not a member of the conversation, or there is no such conversation.</summary>
    NotMember,

    /// <summary>The query's <see cref="MessageQuery.AfterMessageId"/> names no message of this conversation.</summary>
    AfterMessageNotFound,
}

/// <param name="Messages">Empty unless <see cref="Status"/> is <see cref="MessagePageStatus.Ok"/>.</param>
public sealed record MessagePage(MessagePageStatus Status, IReadOnlyList<ChatMessage> Messages)
{
    internal static readonly MessagePage NotMember = new(MessagePageStatus.NotMember, []);
    internal static readonly MessagePage AfterMessageNotFound = new(MessagePageStatus.AfterMessageNotFound, []);
}
