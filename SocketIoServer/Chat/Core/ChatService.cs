using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// The chat core every vocabulary shares: prepares each socket (its user stored, its rooms joined), tracks presence,
/// stores messages and read state, and publishes each <see cref="ChatEvent"/> once to every vocabulary. It knows no
/// event names; the vocabularies do.
/// </summary>
public sealed partial class ChatService : IDisposable
{
    private readonly IChatStore _store;
    private readonly ILogger<ChatService> _logger;
    private readonly List<IChatVocabulary> _vocabularies = [];
    private readonly ConcurrentDictionary<string, ChatConnection> _connections = new(StringComparer.Ordinal);

    private readonly IClusterLink _cluster;

    public ChatService(IoServer io, IChatStore store, IPresence presence, IClusterLink cluster, ILogger<ChatService> logger)
    {
        _cluster = cluster;
        Io = io;
        _store = store;
        Presence = presence;
        _logger = logger;
        Presence.Changed += OnPresenceChanged;
    }

    public IoServer Io { get; }

    public IChatStore Store => _store;

    /// <summary>Who is online: this process alone, or the whole cluster when Redis is configured.</summary>
    public IPresence Presence { get; }

    public void AddVocabulary(IChatVocabulary vocabulary) => _vocabularies.Add(vocabulary);

    /// <summary>
    /// Middleware, after authentication: stores the user from the token's claims and joins the socket to its user
    /// room and to every conversation the user belongs to, before the CONNECT reply goes out (CONTRACTS.md section 8).
    /// </summary>
    public async ValueTask PrepareAsync(Socket socket, CancellationToken cancellationToken)
    {
        var claims = ChatAuthentication.UserOf(socket);
        var user = await _store.UpsertUserAsync(claims.UserId, claims.DisplayName, cancellationToken);
        await _store.TouchLastSeenAsync(user.Id, cancellationToken);
        var conversations = await _store.ListConversationsAsync(user.Id, cancellationToken);
        socket.Join([ChatRooms.User(user.Id), .. conversations.Select(c => ChatRooms.Conversation(c.Id))]);
        socket.Data[ConnectionKey] = new ChatConnection(socket, user);
    }

    private const string ConnectionKey = "chat";

    /// <summary>The connection handler: the socket's vocabularies are attached, and the user counts as online.</summary>
    public void OnConnected(Socket socket)
    {
        if (socket.Data.GetValueOrDefault(ConnectionKey) is not ChatConnection connection) return;
        _connections[socket.Id] = connection;
        // subscribed before the vocabularies: when a vocabulary's own disconnect work asks the presence (WhatsApp's
        // locks), this socket is already counted out (in Redis, the commands of one connection run in the order sent)
        socket.Disconnected += (s, reason) =>
        {
            _connections.TryRemove(s.Id, out var _);
            _ = Guard(() => Presence.DisconnectedAsync(connection.UserId, s.Id, CancellationToken.None), "presence");
            _ = Guard(async () => await _store.TouchLastSeenAsync(connection.UserId, CancellationToken.None), "last seen");
        };
        foreach (var vocabulary in _vocabularies)
            if (vocabulary.Namespaces.Contains(socket.Namespace.Name)) vocabulary.Attach(connection);
        _ = Guard(() => Presence.ConnectedAsync(connection.UserId, socket.Id, CancellationToken.None), "presence");
    }

    /// <summary>Stores a message from a member; publishes it when it is new (a retried clientId is not announced again).</summary>
    public async Task<MessageInsertResult> SendMessageAsync(ChatUser sender, string conversationId, string body, string? clientId, CancellationToken cancellationToken)
    {
        _cluster.EnsureReachable();
        var result = await _store.InsertMessageAsync(new NewMessage(conversationId, sender.Id, body, clientId), cancellationToken);
        if (result.Status == MessageInsertStatus.Inserted) await PublishAsync(new MessageCreated(result.Message!, sender));
        return result;
    }

    /// <summary>Moves the user's read cursor; publishes the receipt only when it moved forward.</summary>
    public async Task<ReadCursorUpdate> MarkReadAsync(string userId, string conversationId, string messageId, CancellationToken cancellationToken)
    {
        _cluster.EnsureReachable();
        var update = await _store.AdvanceReadCursorAsync(conversationId, userId, messageId, cancellationToken);
        if (update.Status == ReadCursorUpdateStatus.Advanced)
            await PublishAsync(new ReceiptUpdated(conversationId, messageId, userId, update.Cursor!.ReadAt));
        return update;
    }

    /// <summary>Announces typing by a member; anyone else is ignored without a word (seed 002).</summary>
    public async Task TypingAsync(ChatConnection connection, string conversationId, bool isTyping, CancellationToken cancellationToken)
    {
        if (!await _store.IsMemberAsync(conversationId, connection.UserId, cancellationToken)) return;
        await PublishAsync(new TypingChanged(conversationId, connection.User, isTyping, connection.Socket.Id));
    }

    /// <summary>Activity: the user's last-seen time is now.</summary>
    public async Task<DateTimeOffset> TouchAsync(string userId, CancellationToken cancellationToken)
    {
        var now = await Presence.TouchAsync(userId, cancellationToken);
        return await _store.TouchLastSeenAsync(userId, cancellationToken) ?? now;
    }

    /// <summary>
    /// After a conversation's members or metadata changed (HTTP API): the sockets of added members join its room,
    /// those of removed members leave it, and everyone concerned is told.
    /// </summary>
    public async Task ConversationChangedAsync(Conversation conversation, IReadOnlyCollection<string> addedUserIds, IReadOnlyCollection<string> removedUserIds,
        string? actorId = null)
    {
        var room = ChatRooms.Conversation(conversation.Id);
        foreach (var nsp in Io.Namespaces.Values)
        {
            foreach (var userId in addedUserIds) await nsp.To(ChatRooms.User(userId)).SocketsJoinAsync(room);
            foreach (var userId in removedUserIds) await nsp.To(ChatRooms.User(userId)).SocketsLeaveAsync(room);
        }
        await PublishAsync(new ChatChanged(conversation, [.. conversation.MemberIds.Union(removedUserIds, StringComparer.Ordinal)])
        {
            AddedUserIds = [.. addedUserIds],
            ActorId = actorId,
        });
    }

    /// <summary>Gives the event to every vocabulary; one that fails is logged and does not keep the others from it.</summary>
    public async Task PublishAsync(ChatEvent chatEvent)
    {
        foreach (var vocabulary in _vocabularies)
        {
            try
            {
                await vocabulary.PublishAsync(chatEvent, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogPublishFailed(vocabulary.GetType().Name, chatEvent.GetType().Name, ex);
            }
        }
    }

    private void OnPresenceChanged(string userId, bool online, DateTimeOffset at) => _ = Guard(async () =>
    {
        var contacts = await _store.ListContactIdsAsync(userId, CancellationToken.None);
        await PublishAsync(new PresenceChanged(userId, online, at, contacts));
    }, "presence");

    private async Task Guard(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception ex)
        {
            LogBackgroundFailed(what, ex);
        }
    }

    public void Dispose() => Presence.Changed -= OnPresenceChanged;

    [LoggerMessage(LogLevel.Error, "Vocabulary {Vocabulary} failed to publish {Event}")]
    private partial void LogPublishFailed(string vocabulary, string @event, Exception exception);

    [LoggerMessage(LogLevel.Error, "Background chat work ({What}) failed")]
    private partial void LogBackgroundFailed(string what, Exception exception);
}
