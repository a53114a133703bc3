using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.DeedO;

/// <summary>
/// Deed-O's contract (seed 004, CONTRACTS.md section 8): <c>sendMessage</c>, <c>joinGroup</c>, <c>leaveGroup</c>,
/// <c>markAsRead</c>; broadcasts <c>newMessage</c> (with <c>readBy</c> from the per-message read marks),
/// <c>userOnline</c>, <c>messageRead</c>; refusals are an <c>error {message}</c> event. E-mails to offline members go
/// through the outbox (<see cref="DeedOMailOutbox"/>). docs/contracts/deedo.md is the event table.
/// </summary>
public sealed partial class DeedOVocabulary(ChatService chat, IRateLimiter messageLimiter, DeedOMailOutbox mail,
    ILogger<DeedOVocabulary> logger) : IChatVocabulary
{
    /// <summary>The longest <c>text</c> accepted (the seed sets none; the same as seed 002's body).</summary>
    public const int MaxTextLength = 8000;

    public const string NotAMember = "Not a member of this group";
    public const string MessageNotFound = "Message not found";
    public const string SendFailed = "Failed to send message"; // the seed's own words

    /// <summary>The attachments of the message being sent on this async flow, for its <c>newMessage</c> (not stored).</summary>
    private static readonly AsyncLocal<PendingAttachments?> Pending = new();

    private sealed record PendingAttachments(string SenderId, string GroupId, JsonArray Attachments);

    public IReadOnlyCollection<string> Namespaces { get; } = ["/"];

    private Namespace Main => chat.Io.MainNamespace;

    public void Attach(ChatConnection connection)
    {
        var socket = connection.Socket;
        socket.On("sendMessage", e => Handle(connection, e, SendAsync, SendFailed));
        socket.On("joinGroup", e => Handle(connection, e, JoinAsync));
        socket.On("leaveGroup", e => Handle(connection, e, LeaveAsync));
        socket.On("markAsRead", e => Handle(connection, e, MarkAsReadAsync));
    }

    /// <summary>
    /// Runs a handler in the socket's order. A refusal is the seed's <c>error {message}</c> event (logged with a
    /// correlation id); an ack, when the client asked for one, is <c>{success:true, ...}</c> or <c>{success:false, message}</c>.
    /// </summary>
    private Task Handle(ChatConnection connection, SocketEvent e, Func<ChatConnection, EventPayload, Task<JsonObject>> handler,
        string failure = "Internal server error") =>
        connection.RunAsync(async () =>
        {
            JsonObject reply;
            try
            {
                var data = await handler(connection, EventPayload.Of(e.Args));
                reply = new JsonObject { ["success"] = true };
                foreach (var (key, value) in data.ToList())
                {
                    data.Remove(key);
                    reply[key] = value;
                }
            }
            catch (ChatRefusal refusal)
            {
                LogRefused(e.Name, connection.UserId, refusal.Error.Code.WireName(), refusal.Error.Message, refusal.Error.CorrelationId);
                reply = Refused(connection, refusal.Error.Message);
            }
            catch (Exception ex)
            {
                var error = ChatError.Create(ChatErrorCode.Internal, failure);
                LogFailed(e.Name, connection.UserId, error.CorrelationId, ex);
                reply = Refused(connection, failure);
            }
            e.Ack(reply); // nothing happens when the client asked for no acknowledgement
        });

    private static JsonObject Refused(ChatConnection connection, string message)
    {
        connection.Socket.Emit("error", DeedOShapes.Error(message));
        return new JsonObject { ["success"] = false, ["message"] = message };
    }

    private async Task<JsonObject> SendAsync(ChatConnection connection, EventPayload payload)
    {
        var groupId = payload.Require("groupId");
        var text = payload.OptionalString("text", out var textError);
        if (textError is not null) throw ChatRefusal.Of(ChatErrorCode.ValidationError, textError);
        var attachments = DeedOShapes.Attachments(payload["attachments"], out var attachmentsError)
            ?? throw ChatRefusal.Of(ChatErrorCode.ValidationError, attachmentsError!);
        text ??= "";
        if (text.Length == 0 && attachments.Count == 0) throw ChatRefusal.Of(ChatErrorCode.ValidationError, "text is required when there are no attachments");
        if (text.Length > MaxTextLength) throw ChatRefusal.Of(ChatErrorCode.ValidationError, $"text must be at most {MaxTextLength} characters");
        if (!await messageLimiter.TryAcquireAsync(connection.UserId, CancellationToken.None))
            throw ChatRefusal.Of(ChatErrorCode.RateLimited, $"Rate limit exceeded: at most {messageLimiter.Limit} messages per minute");

        MessageInsertResult result;
        Pending.Value = new PendingAttachments(connection.UserId, groupId, attachments);
        try
        {
            result = await chat.SendMessageAsync(connection.User, groupId, text, null, CancellationToken.None);
        }
        finally
        {
            Pending.Value = null;
        }
        if (!result.IsStored) throw ChatRefusal.Of(ChatErrorCode.Forbidden, NotAMember);
        try
        {
            await mail.QueueAsync(connection.User, result.Message, attachments.Count, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogMailQueueFailed(result.Message.Id, ex); // the message is stored and delivered: only the e-mails are lost
        }
        return new JsonObject { ["id"] = result.Message.Id };
    }

    private async Task<JsonObject> JoinAsync(ChatConnection connection, EventPayload payload)
    {
        var groupId = payload.Require("groupId");
        if (!await chat.Store.IsMemberAsync(groupId, connection.UserId, CancellationToken.None)) throw ChatRefusal.Of(ChatErrorCode.Forbidden, NotAMember);
        connection.Socket.Join(ChatRooms.Conversation(groupId));
        return [];
    }

    private Task<JsonObject> LeaveAsync(ChatConnection connection, EventPayload payload)
    {
        var groupId = payload.Require("groupId");
        connection.Socket.Leave(ChatRooms.Conversation(groupId)); // the socket stops listening; the membership stays
        return Task.FromResult(new JsonObject());
    }

    private async Task<JsonObject> MarkAsReadAsync(ChatConnection connection, EventPayload payload)
    {
        var messageId = payload.Require("messageId");
        var groupId = payload.Require("groupId");
        var message = await chat.Store.GetMessageAsync(messageId, CancellationToken.None);
        if (message is null || message.ConversationId != groupId) throw ChatRefusal.Of(ChatErrorCode.NotFound, MessageNotFound);
        // the core stores the mark and announces it to every vocabulary (seed 001's messages-read too)
        var result = await chat.MarkMessagesReadAsync(connection.UserId, [messageId], originSocketId: null, CancellationToken.None);
        if (result.Marks.Count == 0) throw ChatRefusal.Of(ChatErrorCode.Forbidden, NotAMember);
        return [];
    }

    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        switch (chatEvent)
        {
            case MessageCreated created:
                await AnnounceMessageAsync(created, cancellationToken);
                break;
            case ReadMarksAdded read: // seed 004 tells the whole group, the reader's own sockets included
                foreach (var mark in read.Marks)
                    await Main.To(ChatRooms.Conversation(mark.ConversationId)).EmitAsync("messageRead", Read(mark.MessageId, mark.UserId));
                break;
            case ReceiptUpdated receipt: // a read cursor (seed 002) moved: read up to and including that message
                await Main.To(ChatRooms.Conversation(receipt.ConversationId)).EmitAsync("messageRead", Read(receipt.MessageId, receipt.UserId));
                break;
            case PresenceChanged presence:
                var groups = await chat.Store.ListConversationsAsync(presence.UserId, cancellationToken);
                var rooms = groups.Where(g => g.Kind != ConversationKind.Open).Select(g => ChatRooms.Conversation(g.Id)).ToArray();
                if (rooms.Length > 0)
                    await Main.To(rooms).EmitAsync("userOnline", new JsonObject { ["userId"] = presence.UserId, ["isOnline"] = presence.Online });
                break;
        }
    }

    /// <summary>The sender has read their own message (seed 004: <c>readBy: [userId]</c>); readBy is the store's marks.</summary>
    private async Task AnnounceMessageAsync(MessageCreated created, CancellationToken cancellationToken)
    {
        var message = created.Message;
        var pending = Pending.Value;
        var attachments = pending is not null && pending.SenderId == message.SenderId && pending.GroupId == message.ConversationId
            ? (JsonArray)pending.Attachments.DeepClone()
            : [];
        // the sender has read their own message (seed 004 creates it with readBy: [userId]); that is said here rather
        // than stored, so that the other vocabularies' read receipts only ever show what a reader marked
        var marks = await chat.Store.ListReadMarksAsync([message.Id], cancellationToken);
        var readBy = marks.Select(m => m.UserId).Where(u => u != message.SenderId).Prepend(message.SenderId).ToList();
        await Main.To(ChatRooms.Conversation(message.ConversationId)).EmitAsync("newMessage", DeedOShapes.Message(message, attachments, readBy));
    }

    private static JsonObject Read(string messageId, string userId) => new() { ["messageId"] = messageId, ["userId"] = userId };



    [LoggerMessage(LogLevel.Information, "{Event} refused for {UserId}: {Code} {Message} (correlationId {CorrelationId})")]
    private partial void LogRefused(string @event, string userId, string code, string message, string correlationId);

    [LoggerMessage(LogLevel.Error, "{Event} failed for {UserId} (correlationId {CorrelationId})")]
    private partial void LogFailed(string @event, string userId, string correlationId, Exception exception);

    [LoggerMessage(LogLevel.Error, "E-mail notifications of message {MessageId} could not be queued")]
    private partial void LogMailQueueFailed(string messageId, Exception exception);
}
