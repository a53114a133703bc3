using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SocketIoServer.Engine;

/// <summary>
/// The Engine.IO server: answers HTTP long-polling and WebSocket requests on one path, keeps the sessions, and
/// hands their messages to one <see cref="IEngineHandler"/>.
/// </summary>
public sealed partial class EngineServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, EngineConnection> _clients = new(StringComparer.Ordinal);

    public EngineServer(EngineOptions options, IEngineHandler handler, ILogger logger, TimeProvider? time = null)
    {
        options.Validate();
        Options = options;
        Handler = handler;
        Log = new EngineLog(logger);
        Time = time ?? TimeProvider.System;
    }

    public EngineOptions Options { get; }

    internal IEngineHandler Handler { get; }

    internal EngineLog Log { get; }

    internal TimeProvider Time { get; }

    /// <summary>Number of open sessions.</summary>
    public int ClientsCount => _clients.Count;

    public bool TryGetConnection(string sid, out EngineConnection connection) =>
        _clients.TryGetValue(sid, out connection!);

    internal void Remove(EngineConnection connection) => _clients.TryRemove(new(connection.Id, connection));

    /// <summary>Handles one HTTP request (or WebSocket upgrade) addressed to the engine's path.</summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        if (await AnswerAsync(context) is { } webSocket) await webSocket;
    }

    /// <summary>
    /// Answers the request; for an accepted WebSocket, returns the task of its session, which no longer needs the
    /// request (so a host that owns the connection can let the HTTP objects go while the WebSocket lives).
    /// </summary>
    internal async Task<Task?> AnswerAsync(HttpContext context)
    {
        var isUpgrade = context.WebSockets.IsWebSocketRequest;
        // CORS is for HTTP requests; Node.js does not apply it to WebSocket upgrades either
        if (!isUpgrade && Options.Cors is { } cors && EngineCors.Apply(context, cors))
            return null; // preflight answered

        var verdict = await VerifyAsync(context, isUpgrade);
        if (verdict is { } error)
        {
            Log.RequestRefused(context.Request.Method, context.Request.QueryString.Value ?? "", (int)error.Code, error.Message);
            await WriteErrorAsync(context, error, isUpgrade);
            return null;
        }

        var query = context.Request.Query;
        var sid = query["sid"].ToString();
        if (sid.Length > 0)
        {
            if (!_clients.TryGetValue(sid, out var existing) || existing.CloseIfHeartbeatLate())
            {
                await WriteErrorAsync(context, new EngineError(EngineErrorCode.UnknownSid), isUpgrade);
                return null;
            }
            if (isUpgrade) return await UpgradeAsync(context, existing);
            await ServeExistingAsync(context, existing);
            return null;
        }

        return await HandshakeAsync(context, query["transport"].ToString(), isUpgrade);
    }

    private async Task<Task?> UpgradeAsync(HttpContext context, EngineConnection connection)
    {
        // the upgrade begins before the 101 goes out: a poll the client sends as soon as it sees the 101 must find
        // it under way (and wait for it), not be served as if no upgrade were coming
        var begun = connection.IsOpen && connection.WebSocket is null && connection.TryBeginUpgrade();
        WebSocketTransport ws;
        try
        {
            ws = new WebSocketTransport(await AcceptWebSocketAsync(context), this, SupportsBinary(context));
        }
        catch
        {
            if (begun) connection.AbortUpgrade();
            throw;
        }
        return begun ? ws.RunUpgradeAsync(connection) : ws.RefuseAsync();
    }

    private async Task ServeExistingAsync(HttpContext context, EngineConnection connection)
    {

        var polling = connection.Polling;
        if (polling is not null && connection.IsUpgrading && HttpMethods.IsGet(context.Request.Method))
            await connection.WaitForUpgradeAsync(TimeSpan.FromMilliseconds(100));
        if (polling is null || connection.IsUpgraded)
        {
            await WriteErrorAsync(context, new EngineError(EngineErrorCode.BadRequest), false);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method)) await polling.HandleGetAsync(context);
        else if (HttpMethods.IsPost(context.Request.Method)) await polling.HandlePostAsync(context);
        else context.Response.StatusCode = StatusCodes.Status500InternalServerError;
    }

    private async Task<Task?> HandshakeAsync(HttpContext context, string transport, bool isUpgrade)
    {
        var eio = context.Request.Query["EIO"].ToString();
        var protocol = eio == "4" ? 4 : 3; // Node.js: anything but "4" is revision 3
        if (protocol == 3 && !Options.AllowEIO3)
        {
            await WriteErrorAsync(context, new EngineError(EngineErrorCode.UnsupportedProtocolVersion), isUpgrade);
            return null;
        }

        var id = EngineHandshake.NewSessionId();
        if (Options.Cookie is { } cookie) context.Response.Headers.Append("Set-Cookie", cookie.Serialize(id));
        var request = EngineRequestInfo.From(context, Time);
        var connection = new EngineConnection(id, protocol, this, request) { SupportsBinary = SupportsBinary(context) };
        _clients[id] = connection;
        Log.SessionOpened(id, transport, protocol);

        if (transport == TransportNames.WebSocket)
        {
            var socket = await AcceptWebSocketAsync(context);
            return new WebSocketTransport(socket, this, connection.SupportsBinary).RunDirectAsync(connection);
        }

        var polling = new PollingTransport(connection, this);
        connection.AttachPolling(polling);
        connection.Start(notifyHandler: false);
        await polling.HandleGetAsync(context, handshake: true);
        return null;
    }

    /// <summary>
    /// Whether a v3 client takes binary frames: Node.js reads any non-empty <c>b64</c> query parameter as "send
    /// binary as base64 text" (the last one counts; each transport reads its own request). v4 ignores it.
    /// </summary>
    private static bool SupportsBinary(HttpContext context) =>
        context.Request.Query["b64"] is var b64 && (b64.Count == 0 || string.IsNullOrEmpty(b64[b64.Count - 1]));

    private Task<System.Net.WebSockets.WebSocket> AcceptWebSocketAsync(HttpContext context) =>
        Options.PerMessageDeflate is { } deflate
            ? context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                DangerousEnableCompression = true,
                ServerMaxWindowBits = deflate.ServerMaxWindowBits,
                DisableServerContextTakeover = !deflate.ContextTakeover,
            })
            : context.WebSockets.AcceptWebSocketAsync();

    /// <summary>Closes every session at once with <paramref name="reason"/>.</summary>
    public void CloseAll(EngineCloseReason reason)
    {
        foreach (var connection in _clients.Values) connection.CloseNow(reason);
    }

    /// <summary>Closes every session (reason "server shutting down").</summary>
    public ValueTask DisposeAsync()
    {
        CloseAll(EngineCloseReason.ServerShuttingDown);
        return ValueTask.CompletedTask;
    }
}
