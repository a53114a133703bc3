using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Chat.Vocabularies.WhatsApp;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.Famly;

/// <summary>
/// Famly's contract (seed 002, CONTRACTS.md section 8): <c>room:join</c>, <c>room:leave</c>, <c>message:send</c>,
/// <c>typing:start</c>/<c>stop</c>, <c>receipt:read</c>, <c>presence:ping</c> with <c>{ok, data}</c> /
/// <c>{ok:false, error, message, correlationId}</c> acks; broadcasts <c>message:new</c>, <c>typing:update</c>,
/// <c>receipt:update</c>, <c>chat:update</c>, <c>presence:update</c>. docs/contracts/famly.md is the event table.
/// </summary>
/// <remarks>
/// Seeds 002 and 003 share <c>message:send</c> on <c>/</c> (CONTRACTS.md section 6): a payload with
/// <c>conversationId</c> and no <c>chatId</c> is seed 003's shape and is answered by <see cref="WhatsAppVocabulary"/>
/// in that seed's ack shape, under this vocabulary's message limit.
/// </remarks>
public sealed partial class FamlyVocabulary(ChatService chat, IRateLimiter messageLimiter, WhatsAppVocabulary whatsApp,
    ILogger<FamlyVocabulary> logger) : IChatVocabulary
{
    /// <summary>Seed 002's body length limit.</summary>
    public const int MaxBodyLength = 8000;

    public IReadOnlyCollection<string> Namespaces { get; } = ["/"];

    private Namespace Main => chat.Io.MainNamespace;

    public void Attach(ChatConnection connection)
    {
        var socket = connection.Socket;
        socket.On("room:join", e => Handle(connection, e, JoinAsync));
        socket.On("room:leave", e => Handle(connection, e, LeaveAsync));
        socket.On("message:send", e => IsConversationShape(e)
            ? whatsApp.HandleSendOnDefaultNamespaceAsync(connection, e, () => messageLimiter.TryAcquireAsync(connection.UserId, CancellationToken.None), LimitMessage)
            : Handle(connection, e, SendAsync));
        socket.On("receipt:read", e => Handle(connection, e, ReadAsync));
        socket.On("presence:ping", e => Handle(connection, e, PingAsync));
        socket.On("typing:start", e => TypingAsync(connection, e, true));
        socket.On("typing:stop", e => TypingAsync(connection, e, false));
    }

    /// <summary>Runs a handler in the socket's order, and acks what it returns: the reply, or the error with its correlation id.</summary>
    private Task Handle(ChatConnection connection, SocketEvent e, Func<ChatConnection, EventPayload, Task<object>> handler) =>
        connection.RunAsync(async () =>
        {
            object reply;
            try
            {
                reply = await handler(connection, EventPayload.Of(e.Args));
            }
            catch (ChatRefusal refusal)
            {
                LogRefused(e.Name, connection.UserId, refusal.Error.Code.WireName(), refusal.Error.Message, refusal.Error.CorrelationId);
                reply = FamlyAck.Error(refusal.Error);
            }
            catch (Exception ex)
            {
                var error = ChatError.Create(ChatErrorCode.Internal, "Internal server error");
                LogFailed(e.Name, connection.UserId, error.CorrelationId, ex);
                reply = FamlyAck.Error(error);
            }
            e.Ack(reply); // nothing happens when the client asked for no acknowledgement
        });

    private async Task<object> JoinAsync(ChatConnection connection, EventPayload payload)
    {
        var chatId = payload.Require("chatId");
        if (!await chat.Store.IsMemberAsync(chatId, connection.UserId, CancellationToken.None))
            throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a member of this chat");
        connection.Socket.Join(ChatRooms.Conversation(chatId));
        return FamlyAck.Ok;
    }

    private Task<object> LeaveAsync(ChatConnection connection, EventPayload payload)
    {
        var chatId = payload.Require("chatId");
        connection.Socket.Leave(ChatRooms.Conversation(chatId)); // idempotent, as seed 002 says
        return Task.FromResult(FamlyAck.Ok);
    }

    private async Task<object> SendAsync(ChatConnection connection, EventPayload payload)
    {
        var chatId = payload.Require("chatId");
        var body = payload.RequiredString("body", out var bodyError, MaxBodyLength, allowBlank: true);
        if (body is null) throw ChatRefusal.Of(ChatErrorCode.ValidationError, bodyError!.Replace("non-empty string", $"string of 1-{MaxBodyLength} characters"));
        var clientId = payload.Require("clientId");
        if (!await messageLimiter.TryAcquireAsync(connection.UserId, CancellationToken.None))
            throw ChatRefusal.Of(ChatErrorCode.RateLimited, LimitMessage);

        var result = await chat.SendMessageAsync(connection.User, chatId, body, clientId, CancellationToken.None);
        if (!result.IsStored) throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a member of this chat");
        return FamlyAck.WithData(new JsonObject { ["clientId"] = clientId, ["serverId"] = result.Message.Id });
    }

    private string LimitMessage => $"Maximum {messageLimiter.Limit} messages per {messageLimiter.Window.TotalSeconds:0} seconds";

    /// <summary>Seed 003's <c>{conversationId, content}</c> rather than seed 002's <c>{chatId, body}</c>.</summary>
    private static bool IsConversationShape(SocketEvent e) =>
        e.Args.Length > 0 && e.Args[0] is JsonObject o && o["chatId"] is null && o["conversationId"] is not null;

    private async Task<object> ReadAsync(ChatConnection connection, EventPayload payload)
    {
        var chatId = payload.Require("chatId");
        var messageId = payload.Require("messageId");
        var update = await chat.MarkReadAsync(connection.UserId, chatId, messageId, CancellationToken.None);
        return update.Status switch
        {
            ReadCursorUpdateStatus.NotMember => throw ChatRefusal.Of(ChatErrorCode.Forbidden, "Not a member of this chat"),
            ReadCursorUpdateStatus.MessageNotFound => throw ChatRefusal.Of(ChatErrorCode.NotFound, "Message not found"),
            _ => FamlyAck.WithData(new JsonObject { ["readAt"] = JsTime.Iso(update.Cursor!.ReadAt) }),
        };
    }

    private async Task<object> PingAsync(ChatConnection connection, EventPayload payload)
    {
        var now = await chat.TouchAsync(connection.UserId, CancellationToken.None);
        return FamlyAck.WithData(new JsonObject { ["serverTime"] = JsTime.Iso(now) });
    }

    /// <summary>Fire-and-forget: a bad payload or a non-member is ignored without a word (seed 002).</summary>
    private Task TypingAsync(ChatConnection connection, SocketEvent e, bool isTyping) => connection.RunAsync(async () =>
    {
        var chatId = EventPayload.Of(e.Args).RequiredString("chatId", out _);
        if (chatId is null) return;
        try
        {
            await chat.TypingAsync(connection, chatId, isTyping, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogFailed(e.Name, connection.UserId, "-", ex);
        }
    });

    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        switch (chatEvent)
        {
            case MessageCreated created:
                await Main.To(ChatRooms.Conversation(created.Message.ConversationId)).EmitAsync("message:new", FamlyShapes.Message(created.Message));
                break;
            case TypingChanged typing:
                await Main.To(ChatRooms.Conversation(typing.ConversationId)).Except(typing.OriginSocketId).EmitAsync("typing:update",
                    new JsonObject { ["chatId"] = typing.ConversationId, ["userId"] = typing.User.Id, ["state"] = typing.IsTyping ? "start" : "stop" });
                break;
            case ReceiptUpdated receipt:
                await Main.To(ChatRooms.Conversation(receipt.ConversationId)).EmitAsync("receipt:update", new JsonObject
                {
                    ["chatId"] = receipt.ConversationId,
                    ["messageId"] = receipt.MessageId,
                    ["userId"] = receipt.UserId,
                    ["readAt"] = JsTime.Iso(receipt.ReadAt),
                });
                break;
            case ChatChanged changed when changed.Conversation.Kind != ConversationKind.Open:
                await Main.To([.. changed.NotifiedUserIds.Select(ChatRooms.User)]).EmitAsync("chat:update",
                    new JsonObject { ["chat"] = FamlyShapes.Chat(changed.Conversation) });
                break;
            case PresenceChanged presence when presence.ContactIds.Count > 0:
                await Main.To([.. presence.ContactIds.Select(ChatRooms.User)]).EmitAsync("presence:update", new JsonObject
                {
                    ["userId"] = presence.UserId,
                    ["status"] = presence.Online ? "online" : "offline",
                    ["timestamp"] = JsTime.Iso(presence.At),
                });
                break;
        }
    }



    [LoggerMessage(LogLevel.Information, "{Event} refused for {UserId}: {Code} {Message} (correlationId {CorrelationId})")]
    private partial void LogRefused(string @event, string userId, string code, string message, string correlationId);

    [LoggerMessage(LogLevel.Error, "{Event} failed for {UserId} (correlationId {CorrelationId})")]
    private partial void LogFailed(string @event, string userId, string correlationId, Exception exception);
}
