using Microsoft.Extensions.Logging;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Auth;

/// <summary>
/// The namespace middleware every chat namespace runs: a socket without a valid token is refused with CONNECT_ERROR
/// <c>{"message":"Authentication error","data":{"code":"UNAUTHORIZED","reason":...}}</c>; an accepted one carries its
/// user in <c>socket.Data["user"]</c> and its id in <c>socket.Data["userId"]</c> (as seed 002's <c>socket.data.userId</c>).
/// </summary>
public sealed partial class ChatAuthentication(Hs256Jwt jwt, ILogger<ChatAuthentication> logger)
{
    public const string UserKey = "user";
    public const string UserIdKey = "userId";

    public void Authenticate(Socket socket)
    {
        var (user, failure) = jwt.Validate(TokenSource.Find(socket.Handshake));
        if (user is null)
        {
            var reason = failure!.Value.WireName();
            LogRefused(socket.Namespace.Name, socket.Handshake.Address, reason);
            throw new ConnectionRefusedException("Authentication error", new RefusalData("UNAUTHORIZED", reason));
        }
        socket.Data[UserKey] = user;
        socket.Data[UserIdKey] = user.UserId;
    }

    /// <summary>The user a connected chat socket authenticated as.</summary>
    public static AuthenticatedUser UserOf(Socket socket) => (AuthenticatedUser)socket.Data[UserKey]!;

    private sealed record RefusalData(
        [property: System.Text.Json.Serialization.JsonPropertyName("code")] string Code,
        [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string Reason);

    [LoggerMessage(LogLevel.Information, "Connection to {Namespace} from {Address} refused: {Reason}")]
    private partial void LogRefused(string @namespace, string address, string reason);
}
