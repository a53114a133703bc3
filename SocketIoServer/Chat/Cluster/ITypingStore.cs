namespace SocketIoServer.Chat.Cluster;

/// <summary>
/// Who types where (seed 001's typing service): a user added to a room's set lives there <see cref="Ttl"/> (5 s)
/// unless added again; removed on stop. The announcements (and their automatic stop) belong to the vocabulary.
/// </summary>
public interface ITypingStore
{
    TimeSpan Ttl { get; }

    Task StartedAsync(string roomId, string userId, CancellationToken cancellationToken);

    Task StoppedAsync(string roomId, string userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> TypingUserIdsAsync(string roomId, CancellationToken cancellationToken);
}
