using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.Task5;

/// <summary>
/// The Task-5 chat app's contract (seed 001, CONTRACTS.md section 8): <c>join-room</c>, <c>leave-room</c>,
/// <c>send-message</c>, <c>typing-start</c>/<c>stop</c>, <c>mark-read</c>, <c>update-presence</c> with
/// <c>{success, data | error}</c> acks; on connect <c>online-users</c> to the socket; broadcasts <c>user-online</c>,
/// <c>user-offline</c>, <c>user-joined</c>, <c>user-left</c>, <c>new-message</c>, <c>user-typing</c> (stopped
/// automatically after 5 s), <c>user-stopped-typing</c>, <c>messages-read</c>, <c>presence-update</c>.
/// docs/contracts/task5.md is the event table.
/// </summary>
public sealed partial class Task5Vocabulary(ChatService chat, ITypingStore typingStore, TimeProvider time, ILogger<Task5Vocabulary> logger) : IChatVocabulary, IDisposable
{
    /// <summary>Longest message content (the seed names none; seed 002's limit).</summary>
    public const int MaxContentLength = 8000;

    /// <summary>Most ids one <c>mark-read</c> may carry (the store's limit per call).</summary>
    public const int MaxReadIds = 1000;

    /// <summary>Longest <c>update-presence</c> status and <c>messageType</c>.</summary>
    public const int MaxWordLength = 64;

    /// <summary>The seed's typing TTL: a <c>typing-start</c> not followed by a stop ends by itself after this.</summary>
    public static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(5);

    private readonly TypingTimers _typing = new(time, TypingTimeout);

    public IReadOnlyCollection<string> Namespaces { get; } = ["/"];

    private Namespace Main => chat.Io.MainNamespace;

    public void Attach(ChatConnection connection)
    {
        var socket = connection.Socket;
        socket.On("join-room", e => Handle(connection, e, "Failed to join room", JoinAsync));
        socket.On("leave-room", e => Handle(connection, e, "Failed to leave room", LeaveAsync));
        socket.On("send-message", e => Handle(connection, e, "Failed to send message", SendAsync));
        socket.On("mark-read", e => Handle(connection, e, "Failed to mark messages as read", MarkReadAsync));
        socket.On("update-presence", e => Handle(connection, e, "Failed to update presence", UpdatePresenceAsync));
        socket.On("typing-start", e => TypingAsync(connection, e, true));
        socket.On("typing-stop", e => TypingAsync(connection, e, false));
        socket.Disconnected += (_, _) => _ = connection.RunAsync(() => StopAllTypingAsync(connection));

        // the seed's handleUserConnect: the user counts as online already (the core marks it right after this)
        _ = connection.RunAsync(() => Guard(connection, "online-users", async () =>
        {
            var online = (await chat.Presence.OnlineUserIdsAsync(CancellationToken.None)).Append(connection.UserId).Distinct(StringComparer.Ordinal);
            socket.Emit("online-users", new JsonArray([.. online.Select(id => (JsonNode)id)]));
        }));
    }

    /// <summary>Runs a handler in the socket's order, and acks what it returns: the reply, or the refusal in the seed's shape.</summary>
    private Task Handle(ChatConnection connection, SocketEvent e, string failure, Func<ChatConnection, JsonNode?[], Task<JsonObject>> handler) =>
        connection.RunAsync(async () =>
        {
            JsonObject reply;
            try
            {
                reply = await handler(connection, e.Args);
            }
            catch (ChatRefusal refusal)
            {
                LogRefused(e.Name, connection.UserId, refusal.Error.Code.WireName(), refusal.Error.Message, refusal.Error.CorrelationId);
                reply = Task5Ack.Error(refusal.Error);
            }
            catch (Exception ex)
            {
                var error = ChatError.Create(ChatErrorCode.Internal, failure);
                LogFailed(e.Name, connection.UserId, error.CorrelationId, ex);
                reply = Task5Ack.Error(error);
            }
            e.Ack(reply); // nothing happens when the client asked for no acknowledgement
        });

    private async Task<JsonObject> JoinAsync(ChatConnection connection, JsonNode?[] args)
    {
        var roomId = RequireArgument(args, "roomId");
        var conversation = await chat.Store.GetConversationAsync(roomId, CancellationToken.None);
        if (conversation?.Kind == ConversationKind.Open)
            conversation = (await chat.Store.JoinOpenConversationAsync(roomId, connection.UserId, CancellationToken.None)).Conversation;
        // an unknown room and a room of others look the same
        if (conversation is null || !conversation.MemberIds.Contains(connection.UserId, StringComparer.Ordinal))
            throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Cannot join this room");

        var room = ChatRooms.Conversation(roomId);
        connection.Socket.Join(room);
        var members = await chat.Store.GetUsersAsync(conversation.MemberIds, CancellationToken.None);
        await Main.To(room).Except(connection.Socket.Id).EmitAsync("user-joined", new JsonObject
        {
            ["roomId"] = roomId,
            ["user"] = Task5Shapes.User(connection.UserId, connection.User.DisplayName),
        });
        return Task5Ack.WithData(Task5Shapes.Room(conversation, members));
    }

    private async Task<JsonObject> LeaveAsync(ChatConnection connection, JsonNode?[] args)
    {
        var roomId = RequireArgument(args, "roomId");
        var room = ChatRooms.Conversation(roomId);
        // idempotent; only a socket that was in the room announces its leaving (no user-left into others' rooms)
        if (!connection.Socket.Rooms.Contains(room)) return Task5Ack.Ok();
        connection.Socket.Leave(room);
        if (_typing.Stop(connection.Socket.Id, roomId)) await Guard(connection, "leave-room typing stop", () => PublishTypingAsync(connection, roomId, false));
        await Main.To(room).EmitAsync("user-left", new JsonObject { ["roomId"] = roomId, ["userId"] = connection.UserId });
        return Task5Ack.Ok();
    }

    private async Task<JsonObject> SendAsync(ChatConnection connection, JsonNode?[] args)
    {
        var payload = EventPayload.Of(args);
        var roomId = Require(payload.RequiredString("roomId", out var roomError), roomError);
        var content = payload.RequiredString("content", out var contentError, MaxContentLength);
        if (content is null) throw ChatRefusal.Of(ChatErrorCode.ValidationError, contentError!.Replace("non-empty string", $"string of 1-{MaxContentLength} characters, not only white space"));
        var messageType = payload.OptionalString("messageType", out var typeError);
        if (typeError is not null || messageType is { Length: 0 or > MaxWordLength })
            throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"messageType must be a string of 1-{MaxWordLength} characters");

        var sending = new OutgoingMessage(connection.Socket.Id, messageType ?? "text");
        Sending.Value = sending;
        MessageInsertResult result;
        try
        {
            result = await chat.SendMessageAsync(connection.User, roomId, content, null, CancellationToken.None);
        }
        finally
        {
            Sending.Value = null;
        }
        if (!result.IsStored) throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a room member");

        // the seed clears the sender's typing indicator with every message, typing or not
        // the message is stored and announced: a failure from here on is logged, never the sender's error
        _typing.Stop(connection.Socket.Id, roomId);
        await Guard(connection, "send-message typing stop", () => PublishTypingAsync(connection, roomId, false));
        return Task5Ack.WithData(Task5Shapes.Message(result.Message, connection.User, sending.MessageType));
    }

    private async Task<JsonObject> MarkReadAsync(ChatConnection connection, JsonNode?[] args)
    {
        var ids = MessageIds(args);
        if (ids.Count == 0) return Task5Ack.WithData(new JsonArray());
        var result = await chat.MarkMessagesReadAsync(connection.UserId, ids, connection.Socket.Id, CancellationToken.None);
        // unknown ids and messages of others' rooms are left out; when nothing was left, it is the seed's membership refusal
        if (result.Marks.Count == 0) throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a room member");
        return Task5Ack.WithData(new JsonArray([.. result.Marks.Select(m => (JsonNode)Task5Shapes.Receipt(m))]));
    }

    private async Task<JsonObject> UpdatePresenceAsync(ChatConnection connection, JsonNode?[] args)
    {
        var status = RequireArgument(args, "status", MaxWordLength);
        await chat.TouchAsync(connection.UserId, CancellationToken.None);
        var conversations = await chat.Store.ListConversationsAsync(connection.UserId, CancellationToken.None);
        if (conversations.Count > 0)
        {
            await Main.To([.. conversations.Select(c => ChatRooms.Conversation(c.Id))]).Except(connection.Socket.Id)
                .EmitAsync("presence-update", new JsonObject { ["userId"] = connection.UserId, ["status"] = status });
        }
        return Task5Ack.Ok();
    }

    /// <summary>Fire-and-forget, as in the seed: a bad room id or a non-member is ignored without a word (CONTRACTS.md section 4).</summary>
    private Task TypingAsync(ChatConnection connection, SocketEvent e, bool isTyping) => connection.RunAsync(async () =>
    {
        var roomId = Argument(e.Args, "roomId", out _);
        if (roomId is null) return;
        try
        {
            if (!await chat.Store.IsMemberAsync(roomId, connection.UserId, CancellationToken.None)) return;
            if (isTyping) _typing.Start(connection.Socket.Id, roomId, entry => _ = connection.RunAsync(() => TypingExpiredAsync(connection, entry)));
            else _typing.Stop(connection.Socket.Id, roomId);
            await PublishTypingAsync(connection, roomId, isTyping);
        }
        catch (Exception ex)
        {
            LogFailed(e.Name, connection.UserId, "-", ex);
        }
    });

    private async Task TypingExpiredAsync(ChatConnection connection, TypingTimers.Entry entry)
    {
        if (!_typing.Expire(entry)) return; // stopped or started again meanwhile
        await Guard(connection, "typing timeout", () => PublishTypingAsync(connection, entry.RoomId, false));
    }

    private async Task StopAllTypingAsync(ChatConnection connection)
    {
        foreach (var roomId in _typing.StopAll(connection.Socket.Id))
            await Guard(connection, "disconnect", () => PublishTypingAsync(connection, roomId, false));
    }

    // membership was checked when the typing started (or the message was stored), so no second look here; seed 001's
    // typing set (typing:<roomId>, shared by a cluster) is written first, so a failed write announces nothing
    private async Task PublishTypingAsync(ChatConnection connection, string roomId, bool isTyping)
    {
        if (isTyping) await typingStore.StartedAsync(roomId, connection.UserId, CancellationToken.None);
        else await typingStore.StoppedAsync(roomId, connection.UserId, CancellationToken.None);
        await chat.PublishAsync(new TypingChanged(roomId, connection.User, isTyping, connection.Socket.Id));
    }

    private async Task Guard(ChatConnection connection, string what, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception ex)
        {
            LogFailed(what, connection.UserId, "-", ex);
        }
    }

    public void Dispose() => _typing.Dispose();

    [LoggerMessage(LogLevel.Information, "{Event} refused for {UserId}: {Code} {Message} (correlationId {CorrelationId})")]
    private partial void LogRefused(string @event, string userId, string code, string message, string correlationId);

    [LoggerMessage(LogLevel.Error, "{Event} failed for {UserId} (correlationId {CorrelationId})")]
    private partial void LogFailed(string @event, string userId, string correlationId, Exception exception);
}
