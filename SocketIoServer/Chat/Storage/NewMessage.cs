namespace SocketIoServer.Chat.Storage;

/// <summary>A message to store.</summary>
/// <param name="ClientId">
/// The sender's idempotency key, or null. The store keeps (sender, client id) unique: a retry with the same key
/// returns the message stored the first time.
/// </param>
public sealed record NewMessage(string ConversationId, string SenderId, string Body, string? ClientId);
