using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

// the /messages (and /) handlers: sending, missed messages, typing, receipts, locks, views, status, heartbeat
public sealed partial class WhatsAppVocabulary
{
    /// <summary><c>message:send {conversationId, content, clientId?}</c> → <c>{success:true, message}</c>.</summary>
    private async Task<JsonNode?> SendAsync(ChatConnection connection, EventPayload payload)
    {
        var conversationId = payload.Require("conversationId");
        var content = payload.RequiredString("content", out var contentError, MaxContentLength, allowBlank: true)
            ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, contentError!.Replace("non-empty string", $"string of 1-{MaxContentLength} characters"));
        var clientId = payload.OptionalString("clientId", out var clientIdError);
        if (clientIdError is not null || clientId is { Length: > 512 }) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "clientId must be a string of at most 512 characters");
        if (clientId is { Length: 0 }) clientId = null;
        var result = await chat.SendMessageAsync(connection.User, conversationId, content, clientId, CancellationToken.None);
        if (!result.IsStored) throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a participant of this conversation");
        return WhatsAppAck.Ok(("message", WhatsAppShapes.Message(result.Message)));
    }

    /// <summary>
    /// <c>get-missed-messages {lastSyncDate}</c> (or <c>{lastSync}</c>; an ISO time or Unix ms) → the ack is the array
    /// of messages created after it in the user's conversations (at most 1000, oldest first); without an ack, a
    /// <c>missed-messages</c> event carries the array.
    /// </summary>
    private async Task<JsonNode?> MissedMessagesAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var node = payload["lastSyncDate"] ?? payload["lastSync"];
        if (!TryReadTime(node, out var since))
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, "lastSyncDate is required: an ISO date string or a number of milliseconds since 1970");
        var messages = await Store.ListMessagesSinceAsync(connection.UserId, since, IChatStore.MaxMissedMessages, CancellationToken.None);
        var array = new JsonArray([.. messages.Select(m => (JsonNode)WhatsAppShapes.Message(m))]);
        if (e.HasAck) return array;
        connection.Socket.Emit("missed-messages", array);
        return null;
    }

    internal static bool TryReadTime(JsonNode? node, out DateTimeOffset time)
    {
        time = default;
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return FromMs(ms, out time);
                return text.Contains('-') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
            case JsonValueKind.Number:
                return value.TryGetValue<double>(out var number) && double.IsFinite(number) && FromMs((long)number, out time);
            default:
                return false;
        }
    }

    private static bool FromMs(long ms, out DateTimeOffset time)
    {
        time = default;
        if (ms is < -62_135_596_800_000 or > 253_402_300_799_999) return false;
        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    /// <summary><c>typing {conversationId, isTyping?}</c>: no ack; a bad payload or a non-member is ignored without a word.</summary>
    private async Task<JsonNode?> TypingAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var conversationId = payload.RequiredString("conversationId", out _);
        if (conversationId is null) return null;
        var isTyping = payload["isTyping"] is not JsonValue v || v.GetValueKind() != JsonValueKind.False;
        await chat.TypingAsync(connection, conversationId, isTyping, CancellationToken.None);
        return null;
    }

    /// <summary><c>message:read {conversationId, messageId}</c> → <c>{success:true, readAt}</c>; moves the read cursor.</summary>
    private async Task<JsonNode?> ReadAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var conversationId = payload.Require("conversationId");
        var messageId = payload.Require("messageId");
        var update = await chat.MarkReadAsync(connection.UserId, conversationId, messageId, CancellationToken.None);
        // the seed's last-seen-per-conversation: "Update: Automatic on message read"
        if (update.Status is ReadCursorUpdateStatus.Advanced or ReadCursorUpdateStatus.Unchanged)
        {
            try
            {
                await views.RecordAsync(connection.UserId, conversationId, time.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception ex)
            {
                // the receipt is stored and announced: the view time is the lesser part, logged rather than refused
                LogFailed("view time", connection.UserId, "-", ex);
            }
        }
        return update.Status switch
        {
            ReadCursorUpdateStatus.NotMember => throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a participant of this conversation"),
            ReadCursorUpdateStatus.MessageNotFound => throw ChatRefusal.Of(ChatErrorCode.NotFound, "Message not found"),
            _ => WhatsAppAck.Ok(("readAt", JsTime.Iso(update.Cursor!.ReadAt))),
        };
    }

    /// <summary>
    /// <c>message:lock {messageId}</c>: any participant of the message's conversation may lock it →
    /// <c>message:locked {messageId, lockedBy}</c> to the locking socket; held by someone else, or not lockable →
    /// <c>lock-failed {messageId, lockedBy, reason}</c>.
    /// </summary>
    private async Task<JsonNode?> LockAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var messageId = payload.Require("messageId");
        var message = await Store.GetMessageAsync(messageId, CancellationToken.None);
        if (message is null || message.IsDeleted || !await Store.IsMemberAsync(message.ConversationId, connection.UserId, CancellationToken.None))
            return LockFailed(connection, e, messageId, null, "Message not found");
        var (locked, holder) = await locks.TryLockAsync(messageId, connection.UserId, CancellationToken.None);
        if (!locked)
            return LockFailed(connection, e, messageId, holder, "Message is locked by another user");
        connection.Socket.Emit("message:locked", new JsonObject { ["messageId"] = messageId, ["lockedBy"] = connection.UserId });
        return WhatsAppAck.Ok(("messageId", messageId), ("lockedBy", connection.UserId));
    }

    private static JsonNode? LockFailed(ChatConnection connection, SocketEvent e, string messageId, string? holder, string reason)
    {
        connection.Socket.Emit("lock-failed", new JsonObject { ["messageId"] = messageId, ["lockedBy"] = holder, ["reason"] = reason });
        return e.HasAck
            ? new JsonObject { ["success"] = false, ["error"] = holder is null ? "NOT_FOUND" : "FORBIDDEN", ["message"] = reason, ["lockedBy"] = holder }
            : null;
    }

    /// <summary><c>message:unlock {messageId}</c> by the holder → <c>{success:true}</c>; anyone else → FORBIDDEN.</summary>
    private async Task<JsonNode?> UnlockAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var messageId = payload.Require("messageId");
        if (!await locks.UnlockAsync(messageId, connection.UserId, CancellationToken.None))
            throw ChatRefusal.Of(ChatErrorCode.Forbidden, "You do not hold a lock on this message");
        return WhatsAppAck.Ok(("messageId", messageId));
    }

    /// <summary>
    /// <c>conversation:view {conversationId}</c>: records when the user last viewed the conversation →
    /// <c>{success:true, conversationId, lastSeenAt}</c>; the other participants get <c>conversation:viewed</c>.
    /// </summary>
    private async Task<JsonNode?> ViewAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var conversationId = payload.Require("conversationId");
        if (!await Store.IsMemberAsync(conversationId, connection.UserId, CancellationToken.None))
            throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a participant of this conversation");
        var now = time.GetUtcNow();
        await views.RecordAsync(connection.UserId, conversationId, now, CancellationToken.None);
        await connection.Socket.Namespace.To(ChatRooms.Conversation(conversationId)).Except(ChatRooms.User(connection.UserId)).EmitAsync(
            "conversation:viewed", new JsonObject { ["conversationId"] = conversationId, ["userId"] = connection.UserId, ["lastSeenAt"] = JsTime.Iso(now) });
        return WhatsAppAck.Ok(("conversationId", conversationId), ("lastSeenAt", JsTime.Iso(now)));
    }

    /// <summary>When the user last viewed the conversation (<c>conversation:view</c>), or null.</summary>
    public Task<DateTimeOffset?> LastViewedAsync(string userId, string conversationId, CancellationToken cancellationToken) =>
        views.LastViewedAsync(userId, conversationId, cancellationToken);

    /// <summary>
    /// <c>status:set {status, customStatus?: {message, emoji, expiresAt?}}</c> → <c>{success:true, status, customStatus}</c>;
    /// <c>user:status {userId, status, customStatus}</c> goes to the user's contacts and own sockets, and again
    /// (custom status null) when the custom status expires.
    /// </summary>
    private async Task<JsonNode?> SetStatusAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var status = payload.Require("status");
        if (!UserStatuses.Statuses.Contains(status))
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"status must be one of {string.Join(", ", UserStatuses.Statuses)}");
        UserStatuses.CustomStatus? custom = null;
        if (payload["customStatus"] is { } node)
        {
            if (node is not JsonObject o) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "customStatus must be an object");
            var fields = new EventPayload(o);
            var text = fields.OptionalString("message", out var messageError);
            var emoji = fields.OptionalString("emoji", out var emojiError);
            if (messageError is not null || text is { Length: > 140 }) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "customStatus.message must be a string of at most 140 characters");
            if (emojiError is not null || emoji is { Length: > 32 }) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "customStatus.emoji must be a string of at most 32 characters");
            DateTimeOffset? expiresAt = null;
            if (o["expiresAt"] is { } expiry)
            {
                if (!TryReadTime(expiry, out var at)) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "customStatus.expiresAt must be an ISO date string or milliseconds since 1970");
                if (at <= time.GetUtcNow()) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "customStatus.expiresAt must be in the future");
                expiresAt = at;
            }
            custom = new UserStatuses.CustomStatus(text, emoji, expiresAt);
        }
        var set = await statuses.SetAsync(connection.UserId, status, custom, expired => _ = BroadcastStatusAsync(connection.UserId, expired), CancellationToken.None);
        await BroadcastStatusAsync(connection.UserId, set);
        return WhatsAppAck.Ok(("status", status), ("customStatus", UserStatuses.Json(set.Custom)));
    }

    /// <summary>The user's status as last set (custom status dropped once expired), or null.</summary>
    public Task<UserStatuses.UserStatus?> StatusOfAsync(string userId, CancellationToken cancellationToken) => statuses.GetAsync(userId, cancellationToken);

    private async Task BroadcastStatusAsync(string userId, UserStatuses.UserStatus status)
    {
        try
        {
            var contacts = await Store.ListContactIdsAsync(userId, CancellationToken.None);
            var rooms = contacts.Append(userId).Select(ChatRooms.User).ToArray();
            var json = new JsonObject { ["userId"] = userId, ["status"] = status.Status, ["customStatus"] = UserStatuses.Json(status.Custom) };
            foreach (var nsp in OurNamespaces()) await nsp.To(rooms).EmitAsync("user:status", json.DeepClone());
        }
        catch (Exception ex)
        {
            LogFailed("user:status", userId, "-", ex);
        }
    }

    /// <summary><c>heartbeat {timestamp?}</c> → the ack (or a <c>heartbeat:ack</c> event) <c>{timestamp, latency}</c>.</summary>
    private Task<JsonNode?> HeartbeatAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var latency = Metrics(connection).Beat(e.Args.Length > 0 ? e.Args[0] : null);
        var reply = new JsonObject { ["timestamp"] = time.GetUtcNow().ToUnixTimeMilliseconds(), ["latency"] = latency };
        if (e.HasAck) return Task.FromResult<JsonNode?>(reply);
        connection.Socket.Emit("heartbeat:ack", reply);
        return Task.FromResult<JsonNode?>(null);
    }

    /// <summary><c>metrics:get</c> → the ack when given, else a <c>metrics</c> event, with seed 003's fields.</summary>
    private Task<JsonNode?> MetricsAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var snapshot = Metrics(connection).Snapshot(connection.UserId, connection.Socket.Id);
        if (e.HasAck) return Task.FromResult<JsonNode?>(snapshot);
        connection.Socket.Emit("metrics", snapshot);
        return Task.FromResult<JsonNode?>(null);
    }

    private HeartbeatMetrics Metrics(ChatConnection connection) =>
        (HeartbeatMetrics)connection.Socket.Data.GetOrAdd(HeartbeatKey, _ => new HeartbeatMetrics(options.HeartbeatInterval, time))!;

    private IEnumerable<Namespace> OurNamespaces()
    {
        foreach (var name in new[] { "/", MessagesNamespace })
            if (chat.Io.Namespaces.TryGetValue(name, out var nsp)) yield return nsp;
    }
}
