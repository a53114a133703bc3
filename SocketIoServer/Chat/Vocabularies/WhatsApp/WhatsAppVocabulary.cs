using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

/// <summary>
/// WhatsApp Hardcore's contract (seed 003, CONTRACTS.md section 8) on <c>/</c>, <c>/messages</c> and
/// <c>/notifications</c>: <c>message:send</c> (the <c>conversationId</c>/<c>content</c> shape; on <c>/</c> through
/// Famly's handler), <c>get-missed-messages</c>, <c>typing</c>, <c>message:read</c>, <c>message:lock</c>/<c>unlock</c>,
/// <c>conversation:view</c>, <c>status:set</c>, <c>heartbeat</c>, <c>metrics:get</c>, the notification events, the
/// token bucket on <c>/messages</c> and <c>/notifications</c>, and the offline queue. docs/contracts/whatsapp.md is
/// the event table.
/// </summary>
public sealed partial class WhatsAppVocabulary(
    ChatService chat,
    WhatsAppRateLimits limits,
    IMessageLocks locks,
    IUserStatuses statuses,
    IConversationViews views,
    WhatsAppNotifications notifications,
    WhatsAppOptions options,
    TimeProvider time,
    ILogger<WhatsAppVocabulary> logger) : IChatVocabulary
{
    public const string MessagesNamespace = "/messages";

    /// <summary>Seed 002's body limit, which seed 003's content shares (one message model).</summary>
    public const int MaxContentLength = 8000;

    private readonly WhatsAppAutoNotifications _autoNotifications = new(chat.Store, notifications);

    public IReadOnlyCollection<string> Namespaces { get; } = ["/", MessagesNamespace, WhatsAppNotifications.Namespace];

    private IChatStore Store => chat.Store;

    public void Attach(ChatConnection connection)
    {
        var socket = connection.Socket;
        TrackSocket(connection);
        switch (socket.Namespace.Name)
        {
            case "/":
                // message:send on / is Famly's handler, which hands the conversationId/content shape to SendAsync
                On(connection, "get-missed-messages", MissedMessagesAsync);
                _ = connection.RunAsync(() => FlushQueueAsync(connection));
                break;
            case MessagesNamespace:
                On(connection, "message:send", (c, _, p) => SendAsync(c, p));
                On(connection, "get-missed-messages", MissedMessagesAsync);
                On(connection, "typing", TypingAsync);
                On(connection, "message:read", ReadAsync);
                On(connection, "message:lock", LockAsync);
                On(connection, "message:unlock", UnlockAsync);
                On(connection, "conversation:view", ViewAsync);
                On(connection, "status:set", SetStatusAsync);
                On(connection, "heartbeat", HeartbeatAsync);
                On(connection, "metrics:get", MetricsAsync);
                socket.Data[HeartbeatKey] = new HeartbeatMetrics(options.HeartbeatInterval, time);
                LimitUnknownEvents(connection, MessagesEvents);
                _ = connection.RunAsync(() => FlushQueueAsync(connection));
                break;
            case WhatsAppNotifications.Namespace:
                socket.Join(WhatsAppNotifications.AllTypesRoom(connection.UserId));
                On(connection, "notifications:unread", UnreadAsync);
                On(connection, "notification:read", NotificationReadAsync);
                On(connection, "notifications:mark-all-read", MarkAllReadAsync);
                On(connection, "notification:delete", NotificationDeleteAsync);
                On(connection, "notifications:subscribe", SubscribeAsync);
                On(connection, "notifications:unsubscribe", UnsubscribeAsync);
                LimitUnknownEvents(connection, NotificationEvents);
                break;
        }
    }

    private static readonly HashSet<string> MessagesEvents = ["message:send", "get-missed-messages", "typing", "message:read", "message:lock",
        "message:unlock", "conversation:view", "status:set", "heartbeat", "metrics:get"];

    private static readonly HashSet<string> NotificationEvents = ["notifications:unread", "notification:read", "notifications:mark-all-read",
        "notification:delete", "notifications:subscribe", "notifications:unsubscribe"];

    private const string HeartbeatKey = "whatsapp.heartbeat";

    /// <summary>
    /// The holder's locks end with its last socket (every namespace, every node): the presence, which the core
    /// counted this socket out of before this handler runs, says whether any is left.
    /// </summary>
    private void TrackSocket(ChatConnection connection)
    {
        connection.Socket.Disconnected += (_, _) => _ = connection.RunAsync(async () =>
        {
            try
            {
                if (await chat.Presence.IsOnlineAsync(connection.UserId, CancellationToken.None)) return;
                var released = await locks.ReleaseAllAsync(connection.UserId, CancellationToken.None);
                if (released.Count > 0) LogLocksReleased(connection.UserId, released.Count);
            }
            catch (Exception ex)
            {
                // the locks still end at LOCK_TIMEOUT
                LogFailed("disconnect", connection.UserId, "-", ex);
            }
        });
    }

    /// <summary>The offline queue: messages stored while the user was offline, as <c>message:new</c>, then cleared.</summary>
    private async Task FlushQueueAsync(ChatConnection connection)
    {
        try
        {
            var queued = await Store.TakeQueuedMessagesAsync(connection.UserId, time.GetUtcNow() - options.MessageQueueExpiry, CancellationToken.None);
            foreach (var message in queued) connection.Socket.Emit("message:new", WhatsAppShapes.Message(message));
        }
        catch (Exception ex)
        {
            LogFailed("offline queue", connection.UserId, "-", ex);
        }
    }

    /// <summary>
    /// Registers a handler that runs in the socket's order; on <c>/messages</c> and <c>/notifications</c> it first
    /// takes a token from the user's bucket. Its reply (if any) is the ack; a refusal is the ack's error shape, or
    /// an <c>error</c> event when no ack was asked for.
    /// </summary>
    private void On(ChatConnection connection, string name, Func<ChatConnection, SocketEvent, EventPayload, Task<JsonNode?>> handler)
    {
        var limited = connection.Socket.Namespace.Name != "/";
        connection.Socket.On(name, e => connection.RunAsync(() =>
            RunAsync(connection, e, handler, limited ? () => limits.TryTakeAsync(connection.UserId, e.Name, CancellationToken.None) : null,
                () => limits.Describe(e.Name))));
    }

    /// <summary>Seed 003's <c>message:send</c> on <c>/</c>, from Famly's handler, under Famly's message limit there.</summary>
    public Task HandleSendOnDefaultNamespaceAsync(ChatConnection connection, SocketEvent e, Func<Task<bool>> admit, string limitMessage) =>
        connection.RunAsync(() => RunAsync(connection, e, (c, _, p) => SendAsync(c, p), admit, () => limitMessage));

    private async Task RunAsync(ChatConnection connection, SocketEvent e, Func<ChatConnection, SocketEvent, EventPayload, Task<JsonNode?>> handler,
        Func<Task<bool>>? admit, Func<string> limitMessage)
    {
        JsonNode? reply;
        try
        {
            if (admit is not null && !await admit())
            {
                var error = ChatError.Create(ChatErrorCode.RateLimited, limitMessage());
                LogRefused(e.Name, connection.UserId, error.Code.WireName(), error.Message, error.CorrelationId);
                connection.Socket.Emit("rate-limit-exceeded", new JsonObject { ["event"] = e.Name, ["message"] = error.Message });
                e.Ack(WhatsAppAck.Error(error));
                return;
            }
            reply = await handler(connection, e, EventPayload.Of(e.Args));
        }
        catch (ChatRefusal refusal)
        {
            LogRefused(e.Name, connection.UserId, refusal.Error.Code.WireName(), refusal.Error.Message, refusal.Error.CorrelationId);
            reply = Refused(connection, e, refusal.Error);
        }
        catch (Exception ex)
        {
            var error = ChatError.Create(ChatErrorCode.Internal, "Internal server error");
            LogFailed(e.Name, connection.UserId, error.CorrelationId, ex);
            reply = Refused(connection, e, error);
        }
        if (reply is not null) e.Ack(reply);
    }

    private static JsonObject? Refused(ChatConnection connection, SocketEvent e, ChatError error)
    {
        if (e.HasAck) return WhatsAppAck.Error(error);
        connection.Socket.Emit("error", new JsonObject
        {
            ["event"] = e.Name,
            ["error"] = error.Code.WireName(),
            ["message"] = error.Message,
            ["correlationId"] = error.CorrelationId,
        });
        return null;
    }

    /// <summary>Events this vocabulary does not know still count against the bucket on the limited namespaces.</summary>
    private void LimitUnknownEvents(ChatConnection connection, HashSet<string> known) => connection.Socket.OnAny(e =>
    {
        if (known.Contains(e.Name)) return;
        _ = connection.RunAsync(async () =>
        {
            try
            {
                if (await limits.TryTakeAsync(connection.UserId, e.Name, CancellationToken.None)) return;
            }
            catch (Exception ex)
            {
                LogFailed(e.Name, connection.UserId, "-", ex);
                return;
            }
            var message = limits.Describe(e.Name);
            LogRefused(e.Name, connection.UserId, "RATE_LIMITED", message, "-");
            connection.Socket.Emit("rate-limit-exceeded", new JsonObject { ["event"] = e.Name, ["message"] = message });
        });
    });



    [LoggerMessage(LogLevel.Information, "{Event} refused for {UserId}: {Code} {Message} (correlationId {CorrelationId})")]
    private partial void LogRefused(string @event, string userId, string code, string message, string correlationId);

    [LoggerMessage(LogLevel.Error, "{Event} failed for {UserId} (correlationId {CorrelationId})")]
    private partial void LogFailed(string @event, string userId, string correlationId, Exception exception);

    [LoggerMessage(LogLevel.Information, "{UserId}'s last socket left: {Count} message locks released")]
    private partial void LogLocksReleased(string userId, int count);
}

/// <summary>Seed 003's settings the vocabulary uses (from <c>ChatSettings</c>).</summary>
public sealed record WhatsAppOptions(TimeSpan MessageQueueExpiry, TimeSpan HeartbeatInterval);
