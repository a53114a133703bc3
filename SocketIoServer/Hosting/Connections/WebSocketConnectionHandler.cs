using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace SocketIoServer.Hosting.Connections;

/// <summary>
/// A Kestrel connection middleware that serves Engine.IO WebSocket upgrades on the raw connection. It looks at the
/// first request of each connection without taking its bytes: a WebSocket upgrade for a mapped engine path is
/// answered here and the WebSocket runs on the connection's own pipes; any other request, and any upgrade it does not
/// fully understand, goes on to Kestrel's HTTP server untouched. An idle WebSocket then costs no HTTP request state
/// (Kestrel keeps a whole HTTP/1.1 request, its headers and the ASP.NET Core context alive for an upgraded request),
/// about a third of the memory of an idle connection.
/// </summary>
/// <remarks>
/// These requests skip the ASP.NET Core middleware pipeline (authentication, CORS...); the engine's own checks
/// (<c>AllowRequest</c>, Socket.IO middlewares) still apply. That is why it is opt-in.
/// </remarks>
internal sealed class WebSocketConnectionHandler(EngineEndpoints endpoints, IServiceProvider services, TimeSpan headTimeout, ILogger logger)
{
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var head = await ReadHeadAsync(connection);
        var engine = head is null ? null : endpoints.Find(head.Path);
        // permessage-deflate is implemented by the ASP.NET Core WebSocket: a client offering it, to an engine that
        // compresses, is left to Kestrel's HTTP server
        if (engine is null || (engine.Options.PerMessageDeflate is not null && head!.OffersPerMessageDeflate))
        {
            await next(connection);
            return;
        }

        var session = await AnswerAsync(connection, head!, engine);
        if (session is not null) await session;
        await connection.Transport.Input.CompleteAsync();
        await connection.Transport.Output.CompleteAsync();
    }

    /// <summary>
    /// Runs the engine on the request; returns the WebSocket session still running, if any. Kept apart so the request
    /// objects are garbage once it returns, while the session lives on.
    /// </summary>
    private async Task<Task?> AnswerAsync(ConnectionContext connection, UpgradeRequestHead head, Engine.EngineServer engine)
    {
        connection.Transport.Input.AdvanceTo(
            (await connection.Transport.Input.ReadAsync()).Buffer.GetPosition(head.Length));
        var (request, context) = ConnectionRequest.Create(connection, head, services);
        var session = await engine.AnswerAsync(context);
        if (request.Accepted is null) await request.WriteResponseAsync();
        return session;
    }

    /// <summary>
    /// Reads until the first request's head is complete, or known not to be an upgrade. Nothing is consumed: the
    /// bytes stay in the pipe for whoever answers.
    /// </summary>
    private async Task<UpgradeRequestHead?> ReadHeadAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(headTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                var verdict = UpgradeRequestHead.TryParse(buffer, out var head);
                if (verdict == UpgradeRequestHead.Verdict.NeedMore && !result.IsCompleted && !result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start, buffer.End); // wait for more
                    continue;
                }
                input.AdvanceTo(buffer.Start, buffer.Start); // leave it all for the next read
                return verdict == UpgradeRequestHead.Verdict.Upgrade ? head : null;
            }
        }
        catch (OperationCanceledException)
        {
            // Kestrel applies its own timeouts from here on
            logger.LogDebug("Connection {ConnectionId}: no complete request head within {Timeout}", connection.ConnectionId, headTimeout);
            return null;
        }
    }
}
