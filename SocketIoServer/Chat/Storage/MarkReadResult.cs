namespace SocketIoServer.Chat.Storage;

/// <param name="Marks">One mark per message the user may read, in the order asked (each keeps the time it was
/// first marked, so marking twice changes nothing).</param>
/// <param name="Refused">The ids of messages that do not exist or belong to a conversation the user is not a
/// member of (the two are not told apart, so nothing leaks about other conversations).</param>
public sealed record MarkReadResult(IReadOnlyList<ReadMark> Marks, IReadOnlyList<string> Refused);
