using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.WhatsApp;

// the /notifications handlers, and how the vocabulary announces the core's events
public sealed partial class WhatsAppVocabulary
{
    /// <summary><c>notifications:unread</c> → <c>{success:true, count}</c> (or a <c>notifications:unread {count}</c> event without an ack).</summary>
    private async Task<JsonNode?> UnreadAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var count = await Store.CountUnreadNotificationsAsync(connection.UserId, CancellationToken.None);
        if (e.HasAck) return WhatsAppAck.Ok(("count", count));
        connection.Socket.Emit("notifications:unread", new JsonObject { ["count"] = count });
        return null;
    }

    /// <summary><c>notification:read {notificationId}</c> → <c>{success:true, notification}</c>; NOT_FOUND for another's or an unknown one.</summary>
    private async Task<JsonNode?> NotificationReadAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var id = NotificationId(payload);
        var read = await Store.MarkNotificationReadAsync(connection.UserId, id, CancellationToken.None)
            ?? throw ChatRefusal.Of(ChatErrorCode.NotFound, "Notification not found");
        await notifications.SendUnreadAsync(connection.UserId);
        return WhatsAppAck.Ok(("notification", WhatsAppShapes.Notification(read)));
    }

    /// <summary><c>notifications:mark-all-read</c> → <c>{success:true, count}</c> (how many were unread).</summary>
    private async Task<JsonNode?> MarkAllReadAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var count = await Store.MarkAllNotificationsReadAsync(connection.UserId, CancellationToken.None);
        await notifications.SendUnreadAsync(connection.UserId);
        return WhatsAppAck.Ok(("count", count));
    }

    /// <summary><c>notification:delete {notificationId}</c> → <c>{success:true}</c>; NOT_FOUND for another's or an unknown one.</summary>
    private async Task<JsonNode?> NotificationDeleteAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        var id = NotificationId(payload);
        if (!await Store.DeleteNotificationAsync(connection.UserId, id, CancellationToken.None))
            throw ChatRefusal.Of(ChatErrorCode.NotFound, "Notification not found");
        await notifications.SendUnreadAsync(connection.UserId);
        return WhatsAppAck.Ok(("notificationId", id));
    }

    /// <summary><c>notifications:subscribe {types}</c> (or a bare array) → <c>{success:true, types}</c>, the types now received.</summary>
    private Task<JsonNode?> SubscribeAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        WhatsAppNotifications.Subscribe(connection.Socket, connection.UserId, Types(e));
        return Task.FromResult<JsonNode?>(SubscribedAck(connection));
    }

    /// <summary><c>notifications:unsubscribe {types}</c> → <c>{success:true, types}</c>, the types still received.</summary>
    private Task<JsonNode?> UnsubscribeAsync(ChatConnection connection, SocketEvent e, EventPayload payload)
    {
        WhatsAppNotifications.Unsubscribe(connection.Socket, connection.UserId, Types(e));
        return Task.FromResult<JsonNode?>(SubscribedAck(connection));
    }

    private static JsonObject SubscribedAck(ChatConnection connection) => WhatsAppAck.Ok(("types",
        new JsonArray([.. WhatsAppNotifications.SubscribedTypes(connection.Socket, connection.UserId).Select(t => (JsonNode)t)])));

    private static string NotificationId(EventPayload payload) =>
        payload.RequiredString("notificationId", out _) ?? payload.RequiredString("id", out _)
        ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, "notificationId is required and must be a non-empty string");

    /// <summary>The types of <c>{types:[...]}</c>, <c>{type}</c> or a bare array; each must be one of seed 003's.</summary>
    private static IReadOnlyList<string> Types(SocketEvent e)
    {
        var arg = e.Args.Length > 0 ? e.Args[0] : null;
        var node = arg is JsonObject o ? o["types"] ?? o["type"] : arg;
        var list = node switch
        {
            JsonArray array => array.ToList(),
            JsonValue => [node],
            _ => throw ChatRefusal.Of(ChatErrorCode.ValidationError, "types is required: an array of notification types"),
        };
        var types = new List<string>();
        foreach (var item in list)
        {
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !NotificationKinds.Types.ContainsKey(v.GetValue<string>()))
                throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"types must be among {string.Join(", ", NotificationKinds.Types.Keys)}");
            types.Add(v.GetValue<string>());
        }
        return types;
    }

    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        switch (chatEvent)
        {
            case MessageCreated created:
                // on / Famly's message:new carries both shapes; /messages gets the same object
                if (chat.Io.Namespaces.TryGetValue(MessagesNamespace, out var messages))
                    await messages.To(ChatRooms.Conversation(created.Message.ConversationId)).EmitAsync("message:new", WhatsAppShapes.Message(created.Message));
                // one read of the conversation for the offline queue and the mentions
                if (await Store.GetConversationAsync(created.Message.ConversationId, cancellationToken) is { } conversation)
                {
                    await QueueForOfflineAsync(created, conversation, cancellationToken);
                    await _autoNotifications.MentionsAsync(created, conversation, cancellationToken);
                }
                break;
            case ChatChanged changed:
                await _autoNotifications.ChatChangedAsync(changed, cancellationToken);
                break;
            case MessageDeleted deleted:
                foreach (var nsp in OurNamespaces())
                {
                    await nsp.To(ChatRooms.Conversation(deleted.Message.ConversationId)).EmitAsync("message:deleted", new JsonObject
                    {
                        ["messageId"] = deleted.Message.Id,
                        ["conversationId"] = deleted.Message.ConversationId,
                        ["deletedBy"] = deleted.Message.SenderId,
                    });
                }
                break;
            case TypingChanged typing when typing.IsTyping:
                foreach (var nsp in OurNamespaces())
                {
                    await nsp.To(ChatRooms.Conversation(typing.ConversationId)).Except(ChatRooms.User(typing.User.Id)).EmitAsync("user:typing", new JsonObject
                    {
                        ["conversationId"] = typing.ConversationId,
                        ["userId"] = typing.User.Id,
                        ["username"] = typing.User.DisplayName,
                    });
                }
                break;
            case ReceiptUpdated receipt when chat.Io.Namespaces.TryGetValue(MessagesNamespace, out var nsp):
                await nsp.To(ChatRooms.Conversation(receipt.ConversationId)).EmitAsync("message:read", new JsonObject
                {
                    ["conversationId"] = receipt.ConversationId,
                    ["messageId"] = receipt.MessageId,
                    ["userId"] = receipt.UserId,
                    ["readAt"] = JsTime.Iso(receipt.ReadAt),
                });
                break;
        }
    }

    /// <summary>
    /// The participants offline when a message is stored get it queued (delivered as <c>message:new</c> when they
    /// connect) and a <c>message</c> notification (CONTRACTS.md section 8). Open rooms have no participants list
    /// worth queueing for.
    /// </summary>
    private async Task QueueForOfflineAsync(MessageCreated created, Conversation conversation, CancellationToken cancellationToken)
    {
        if (conversation.Kind == ConversationKind.Open) return;
        var offline = new List<string>();
        foreach (var member in conversation.MemberIds)
            if (member != created.Sender.Id && !await chat.Presence.IsOnlineAsync(member, cancellationToken)) offline.Add(member);
        if (offline.Count == 0) return;
        await Store.EnqueueMessageAsync(created.Message.Id, offline, cancellationToken);
        var preview = created.Message.Body.Length > 100 ? created.Message.Body[..100] + "…" : created.Message.Body;
        var data = new JsonObject
        {
            ["conversationId"] = created.Message.ConversationId,
            ["messageId"] = created.Message.Id,
            ["senderId"] = created.Sender.Id,
            ["senderName"] = created.Sender.DisplayName,
        }.ToJsonString();
        foreach (var userId in offline)
        {
            await notifications.CreateAsync(new NewNotification(userId, "message", "normal", NotificationKinds.Types["message"],
                $"{created.Sender.DisplayName}: {preview}", data, $"/conversations/{created.Message.ConversationId}"), cancellationToken);
        }
    }
}
