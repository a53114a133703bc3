using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Hosting.Connections;

namespace SocketIoServer.Hosting;

public static class SocketIoKestrelExtensions
{
    /// <summary>How long a new connection may take to send its first request head (Kestrel's default too).</summary>
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Serves Engine.IO WebSocket upgrades on this endpoint at the connection level, without Kestrel's HTTP request
    /// state: about a third less memory per idle WebSocket and a cheaper connect. Upgrade requests for a mapped
    /// Socket.IO/Engine.IO path then skip the ASP.NET Core middleware pipeline (the engine's own checks and Socket.IO
    /// middlewares still run); every other request is served by Kestrel as before. Call it after <c>UseHttps</c>.
    /// </summary>
    public static ListenOptions UseSocketIoWebSockets(this ListenOptions listenOptions)
    {
        var services = listenOptions.ApplicationServices;
        var endpoints = services.GetService<EngineEndpoints>()
            ?? throw new InvalidOperationException("UseSocketIoWebSockets needs AddSocketIo in the services.");
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIoServer.Hosting.WebSocketConnections");
        var handler = new WebSocketConnectionHandler(endpoints, services, HeadTimeout, logger);
        listenOptions.Use(next => connection => handler.OnConnectionAsync(connection, next));
        return listenOptions;
    }

    /// <summary>
    /// <see cref="UseSocketIoWebSockets(ListenOptions)"/> on every endpoint configured after this call (and on those
    /// from URLs or configuration).
    /// </summary>
    public static KestrelServerOptions UseSocketIoWebSockets(this KestrelServerOptions options)
    {
        options.ConfigureEndpointDefaults(listen => listen.UseSocketIoWebSockets());
        return options;
    }
}
