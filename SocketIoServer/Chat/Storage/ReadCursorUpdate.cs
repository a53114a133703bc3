namespace SocketIoServer.Chat.Storage;

public enum ReadCursorUpdateStatus
{
    /// <summary>The cursor moved (or was set for the first time): the caller broadcasts the receipt.</summary>
    Advanced,

    /// <summary>
    /// The message is not after the cursor (an older or the same message): the cursor stays where it was, and
    /// seed 002 acks <c>ok:true</c> and broadcasts nothing.
    /// </summary>
    Unchanged,

    /// <summary>No such message in this conversation (seed 002's <c>NOT_FOUND</c>).</summary>
    MessageNotFound,

    /// <summary>The user is not a member of the conversation, or there is no such conversation.</summary>
    NotMember,
}

/// <param name="Cursor">The cursor after the update, for <see cref="ReadCursorUpdateStatus.Advanced"/> and
/// <see cref="ReadCursorUpdateStatus.Unchanged"/>; otherwise null.</param>
public sealed record ReadCursorUpdate(ReadCursorUpdateStatus Status, ReadCursor? Cursor)
{
    internal static readonly ReadCursorUpdate MessageNotFound = new(ReadCursorUpdateStatus.MessageNotFound, null);
    internal static readonly ReadCursorUpdate NotMember = new(ReadCursorUpdateStatus.NotMember, null);
}
