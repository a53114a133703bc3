namespace SocketIoServer.Chat.Storage;

public enum MessageDeletionStatus
{
    /// <summary>Soft-deleted now: the caller broadcasts <c>message:deleted</c>.</summary>
    Deleted,

    /// <summary>The sender had deleted it before; nothing changed.</summary>
    AlreadyDeleted,

    NotFound,

    /// <summary>Only the sender may delete a message; nothing changed.</summary>
    NotSender,
}

/// <param name="Message">The message as it is now, for <see cref="MessageDeletionStatus.Deleted"/> and
/// <see cref="MessageDeletionStatus.AlreadyDeleted"/>; otherwise null.</param>
public sealed record MessageDeletion(MessageDeletionStatus Status, ChatMessage? Message)
{
    internal static readonly MessageDeletion NotFound = new(MessageDeletionStatus.NotFound, null);
    internal static readonly MessageDeletion NotSender = new(MessageDeletionStatus.NotSender, null);
}
