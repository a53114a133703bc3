using System.Collections.Concurrent;

namespace SocketIoServer.Chat.Cluster;

/// <summary>The view times of one process, in memory.</summary>
public sealed class LocalConversationViews : IConversationViews
{
    private readonly ConcurrentDictionary<(string UserId, string ConversationId), DateTimeOffset> _views = new();

    public Task RecordAsync(string userId, string conversationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _views[(userId, conversationId)] = at;
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> LastViewedAsync(string userId, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(_views.TryGetValue((userId, conversationId), out var at) ? at : (DateTimeOffset?)null);
}
