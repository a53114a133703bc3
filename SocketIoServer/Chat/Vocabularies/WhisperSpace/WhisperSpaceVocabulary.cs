using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Vocabularies.WhisperSpace;

/// <summary>
/// WhisperSpace's contract (seed 000): open rooms by code, joined with <c>join_room</c> and left with
/// <c>leave_room</c>; <c>send_message</c>, <c>typing_start</c>, <c>typing_stop</c>; answers <c>joined_room</c>,
/// <c>left_room</c>, <c>users_online</c>, <c>new_message</c>, <c>user_typing</c>, <c>user_stop_typing</c> and
/// <c>error {message}</c>. Messages are ephemeral: they travel as <see cref="EphemeralMessageSent"/> and are never
/// stored (CONTRACTS.md section 4). docs/contracts/whisperspace.md is the event table.
/// </summary>
public sealed partial class WhisperSpaceVocabulary(
    ChatService chat, IRateLimiter messageLimiter, TimeProvider time, ILogger<WhisperSpaceVocabulary> logger) : IChatVocabulary
{
    /// <summary>Seed 000's content length limit (after trimming).</summary>
    public const int MaxContentLength = 5000;

    /// <summary>Longest room code (after normalizing); the seed sets none, and a code is stored.</summary>
    public const int MaxRoomCodeLength = 128;

    private static readonly string RoomPrefix = ChatRooms.Conversation("");

    // codes known to name open conversations (checked once, then cached while the room has people in it); only these
    // get users_online, and only through them can a room code reach a conversation's sockets
    private readonly ConcurrentDictionary<string, byte> _openRooms = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, byte> _closedRooms = new(StringComparer.Ordinal);

    // one room's joins, leaves and disconnects run one at a time, so the last users_online sent is the true one and
    // the store's membership follows the room's presence
    private readonly SemaphoreSlim[] _roomGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public IReadOnlyCollection<string> Namespaces { get; } = ["/"];

    private Namespace Main => chat.Io.MainNamespace;

    public void Attach(ChatConnection connection)
    {
        var socket = connection.Socket;
        socket.On("join_room", e => Handle(connection, e, "Failed to join room", JoinAsync));
        socket.On("leave_room", e => Handle(connection, e, "Failed to leave room", LeaveAsync));
        socket.On("send_message", e => Handle(connection, e, "Failed to send message", SendAsync));
        socket.On("typing_start", e => Handle(connection, e, null, (c, arg) => TypingAsync(c, arg, true)));
        socket.On("typing_stop", e => Handle(connection, e, null, (c, arg) => TypingAsync(c, arg, false)));

        string[] rooms = [];
        socket.Disconnecting += (s, _) => rooms = [.. s.Rooms.Where(r => r.StartsWith(RoomPrefix, StringComparison.Ordinal))
            .Select(r => r[RoomPrefix.Length..]).Where(_openRooms.ContainsKey)];
        socket.Disconnected += (_, _) => _ = connection.RunAsync(async () =>
        {
            foreach (var code in rooms)
            {
                try
                {
                    await SettleAsync(code, connection.UserId);
                }
                catch (Exception ex)
                {
                    LogFailed("disconnect", connection.UserId, Guid.NewGuid().ToString(), ex);
                }
            }
        });
    }

    /// <summary>Runs a handler in the socket's order; a refusal or a failure becomes the seed's <c>error</c> event.</summary>
    private Task Handle(ChatConnection connection, SocketEvent e, string? failure, Func<ChatConnection, JsonNode?, Task> handler) =>
        connection.RunAsync(async () =>
        {
            try
            {
                await handler(connection, e.Args.Length > 0 ? e.Args[0] : null);
            }
            catch (WhisperRefusal refusal)
            {
                var correlationId = Guid.NewGuid().ToString();
                LogRefused(e.Name, connection.UserId, refusal.Message, correlationId);
                connection.Socket.Emit("error", WhisperShapes.Error(refusal.Message, refusal.Code));
            }
            catch (Exception ex)
            {
                LogFailed(e.Name, connection.UserId, Guid.NewGuid().ToString(), ex);
                if (failure is not null && connection.Socket.IsConnected)
                    connection.Socket.Emit("error", WhisperShapes.Error(failure, ChatErrorCode.Internal));
            }
        });

    private async Task JoinAsync(ChatConnection connection, JsonNode? arg)
    {
        var code = RoomCode(arg, "Room code is required");
        var socket = connection.Socket;
        await UnderRoomGateAsync(code, async () =>
        {
            var join = await chat.Store.JoinOpenConversationAsync(code, connection.UserId, CancellationToken.None);
            if (join.Status == OpenConversationJoinStatus.NotOpen) throw new WhisperRefusal("Room not found", ChatErrorCode.NotFound);
            _openRooms.TryAdd(code, 0);
            var room = ChatRooms.Conversation(code);
            socket.Join(room); // nothing when the socket left while the store answered (Socket.Join)
            socket.Emit("joined_room", code);
            await AnnounceAsync(code, connection.UserId);
        });
    }

    private async Task LeaveAsync(ChatConnection connection, JsonNode? arg)
    {
        var code = RoomCode(arg, "Room code is required");
        await UnderRoomGateAsync(code, async () =>
        {
            // a code that names no open room has nothing to leave (and must not reach a dm or group)
            if (await IsOpenRoomAsync(code))
            {
                connection.Socket.Leave(ChatRooms.Conversation(code));
                connection.Socket.Emit("left_room", code);
                await AnnounceAsync(code, connection.UserId);
            }
            else
            {
                connection.Socket.Emit("left_room", code);
            }
        });
    }

    private async Task SendAsync(ChatConnection connection, JsonNode? arg)
    {
        // the seed's order: the rate limit first (every attempt counts until refused), then content, then room
        if (!await messageLimiter.TryAcquireAsync(connection.UserId, CancellationToken.None)) throw new WhisperRefusal("Too many messages. Slow down.");
        var payload = arg as JsonObject;
        if (StringOf(payload?["content"]) is not { Length: > 0 } content) throw new WhisperRefusal("Invalid content");
        var trimmed = WhisperText.JsTrim(content);
        if (trimmed.Length == 0) throw new WhisperRefusal("Message required");
        if (trimmed.Length > MaxContentLength) throw new WhisperRefusal($"Message too long (max {MaxContentLength} chars)");
        var code = RoomCode(payload?["room"], "Room required");
        if (!await IsOpenRoomAsync(code)) throw new WhisperRefusal("Room not found", ChatErrorCode.NotFound);

        var messageType = StringOf(payload?["messageType"]) is "system" ? "system" : "text";
        var now = time.GetUtcNow();
        await chat.PublishAsync(new EphemeralMessageSent(WhisperShapes.NewMessageId(now), code, connection.User,
            WhisperText.Sanitize(trimmed), messageType, now));
    }

    /// <summary>Fire-and-forget, as in the seed: a payload without a room, or a room that is not open, is ignored.</summary>
    private async Task TypingAsync(ChatConnection connection, JsonNode? arg, bool isTyping)
    {
        var code = WhisperText.NormalizeRoomCode(StringOf((arg as JsonObject)?["room"]));
        if (code.Length is 0 or > MaxRoomCodeLength || !await IsOpenRoomAsync(code)) return;
        await chat.PublishAsync(new TypingChanged(code, connection.User, isTyping, connection.Socket.Id));
    }

    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        switch (chatEvent)
        {
            case EphemeralMessageSent m:
                await Main.To(ChatRooms.Conversation(m.ConversationId)).EmitAsync("new_message",
                    WhisperShapes.Message(m.Id, m.Body, m.Sender.Id, m.Sender.DisplayName, m.ConversationId, m.MessageType, m.CreatedAt));
                break;
            // this node's cache of open rooms is not the cluster's: a room none of this node's sockets joined is asked of the store
            case MessageCreated created when await IsOpenRoomAsync(created.Message.ConversationId):
                // a stored message another vocabulary sent to an open room this vocabulary's users are in
                await Main.To(ChatRooms.Conversation(created.Message.ConversationId)).EmitAsync("new_message",
                    WhisperShapes.Message(created.Message.Id, created.Message.Body, created.Sender.Id, created.Sender.DisplayName,
                        created.Message.ConversationId, "text", created.Message.CreatedAt));
                break;
            case TypingChanged typing when await IsOpenRoomAsync(typing.ConversationId):
                await Main.To(ChatRooms.Conversation(typing.ConversationId)).Except(typing.OriginSocketId)
                    .EmitAsync(typing.IsTyping ? "user_typing" : "user_stop_typing", WhisperShapes.Typist(typing.User.DisplayName, typing.User.Id));
                break;
        }
    }

    private async Task SettleAsync(string code, string userId) => await UnderRoomGateAsync(code, () => AnnounceAsync(code, userId));

    /// <summary>
    /// Under the room's gate, after <paramref name="userId"/> joined or left it: sends <c>users_online</c> (the users
    /// with a socket in the room, each once) to the room, and takes the user out of the open conversation's members
    /// when none of their sockets is left in it (the seed's <c>$pull</c> on leave and on disconnect).
    /// </summary>
    private async Task AnnounceAsync(string code, string userId)
    {
        var sockets = await Main.In(ChatRooms.Conversation(code)).FetchSocketsAsync();
        var users = new JsonArray();
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var socket in sockets)
        {
            if (UserOf(socket) is not { } user || !userIds.Add(user.UserId)) continue;
            users.Add(WhisperShapes.OnlineUser(socket.Id, user.DisplayName, user.UserId));
        }
        if (!userIds.Contains(userId)) await chat.Store.RemoveMemberAsync(code, userId, CancellationToken.None);
        if (userIds.Count == 0) _openRooms.TryRemove(code, out _);
        await Main.To(ChatRooms.Conversation(code)).EmitAsync("users_online", users);
    }

    /// <summary>The user of a fetched socket: the object on this node, its JSON (<c>{userId, displayName}</c>) from another node.</summary>
    private static Auth.AuthenticatedUser? UserOf(RemoteSocket socket) => socket.Data.GetValueOrDefault(Auth.ChatAuthentication.UserKey) switch
    {
        Auth.AuthenticatedUser user => user,
        JsonObject json when StringOf(json["userId"]) is { } id => new Auth.AuthenticatedUser(id, StringOf(json["displayName"]) ?? id),
        _ => null,
    };

    private async Task<bool> IsOpenRoomAsync(string code)
    {
        if (_openRooms.ContainsKey(code)) return true;
        if (_closedRooms.ContainsKey(code)) return false;
        var kind = (await chat.Store.GetConversationAsync(code, CancellationToken.None))?.Kind;
        if (kind is ConversationKind.Dm or ConversationKind.Group)
        {
            // a dm or a group never becomes open: remembered, so that their messages cost no second look
            if (_closedRooms.Count > 4096) _closedRooms.Clear();
            _closedRooms.TryAdd(code, 0);
        }
        if (kind != ConversationKind.Open) return false;
        _openRooms.TryAdd(code, 0);
        return true;
    }

    private async Task UnderRoomGateAsync(string code, Func<Task> work)
    {
        var gate = _roomGates[(int)((uint)StringComparer.Ordinal.GetHashCode(code) % (uint)_roomGates.Length)];
        await gate.WaitAsync();
        try
        {
            await work();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The normalized room code, or the refusal <paramref name="required"/> when there is none.</summary>
    private static string RoomCode(JsonNode? value, string required)
    {
        var code = WhisperText.NormalizeRoomCode(StringOf(value));
        if (code.Length == 0) throw new WhisperRefusal(required);
        if (code.Length > MaxRoomCodeLength)
            throw new WhisperRefusal($"Room code too long (max {MaxRoomCodeLength} chars)", ChatErrorCode.ValidationError);
        return code;
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A request refused with the seed's <c>error {message}</c>; <see cref="Code"/> is added where the seed is silent.</summary>
    private sealed class WhisperRefusal(string message, ChatErrorCode? code = null) : Exception(message)
    {
        public ChatErrorCode? Code { get; } = code;
    }

    [LoggerMessage(LogLevel.Information, "{Event} refused for {UserId}: {Message} (correlationId {CorrelationId})")]
    private partial void LogRefused(string @event, string userId, string message, string correlationId);

    [LoggerMessage(LogLevel.Error, "{Event} failed for {UserId} (correlationId {CorrelationId})")]
    private partial void LogFailed(string @event, string userId, string correlationId, Exception exception);
}
