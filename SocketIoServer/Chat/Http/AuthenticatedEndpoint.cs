using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Chat.Core;

namespace SocketIoServer.Chat.Http;

/// <summary>
/// What every endpoint of the HTTP APIs does around its own work: authenticates the bearer token (401
/// <c>UNAUTHORIZED</c> otherwise), and turns a <see cref="ChatRefusal"/> or a failure into CONTRACTS.md section 5's one
/// error shape, logged with its correlation id.
/// </summary>
public sealed partial class AuthenticatedEndpoint(Hs256Jwt jwt, ILogger<AuthenticatedEndpoint> logger)
{
    public async Task<IResult> RunAsync(HttpContext context, Func<HttpContext, AuthenticatedUser, Task<IResult>> endpoint)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var (user, failure) = jwt.Validate(token);
        if (user is null)
        {
            var error = ChatError.Create(ChatErrorCode.Unauthorized, "Authentication error: " + failure!.Value.WireName());
            LogRefused(context.Request.Method, context.Request.Path, error.Code.WireName(), error.Message, error.CorrelationId);
            return HttpChatError.Result(error);
        }
        try
        {
            return await endpoint(context, user);
        }
        catch (ChatRefusal refusal)
        {
            LogRefused(context.Request.Method, context.Request.Path, refusal.Error.Code.WireName(), refusal.Error.Message, refusal.Error.CorrelationId);
            return HttpChatError.Result(refusal.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ChatError.Create(ChatErrorCode.Internal, "Internal server error");
            LogFailed(context.Request.Method, context.Request.Path, error.CorrelationId, ex);
            return HttpChatError.Result(error);
        }
    }

    public Task<IResult> RunAsync(HttpContext context, Func<AuthenticatedUser, Task<IResult>> endpoint) =>
        RunAsync(context, (_, user) => endpoint(user));

    [LoggerMessage(LogLevel.Information, "{Method} {Path} refused: {Code} {Message} (correlationId {CorrelationId})")]
    private partial void LogRefused(string method, string path, string code, string message, string correlationId);

    [LoggerMessage(LogLevel.Error, "{Method} {Path} failed (correlationId {CorrelationId})")]
    private partial void LogFailed(string method, string path, string correlationId, Exception exception);
}
