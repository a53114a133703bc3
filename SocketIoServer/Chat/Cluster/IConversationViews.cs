namespace SocketIoServer.Chat.Cluster;

/// <summary>Seed 003's last-seen time per user and conversation (<c>conversation:view</c>, and reading).</summary>
public interface IConversationViews
{
    Task RecordAsync(string userId, string conversationId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<DateTimeOffset?> LastViewedAsync(string userId, string conversationId, CancellationToken cancellationToken);
}
