using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Engine;
using SocketIoServer.Hosting.Connections;
using SocketIoServer.Server;

namespace SocketIoServer.Hosting;

public static class SocketIoEndpointExtensions
{
    private const string WebSocketsAdded = "SocketIoServer.WebSocketsAdded";

    /// <summary>
    /// Serves the registered <see cref="IoServer"/> on its path (HTTP long-polling and WebSocket on the same
    /// endpoint), after letting <paramref name="configure"/> set up namespaces and handlers. The one call an
    /// ASP.NET Core app needs, with <c>AddSocketIo</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapSocketIo(this WebApplication app, Action<IoServer>? configure = null)
    {
        EnsureWebSockets(app);
        var io = app.Services.GetRequiredService<IoServer>();
        configure?.Invoke(io);
        // Kestrel waits for open requests (long polls, WebSockets) before hosted services stop, so sessions must
        // be closed as soon as stopping begins; clients then see "server shutting down".
        app.Lifetime.ApplicationStopping.Register(() => io.Engine.CloseAll(EngineCloseReason.ServerShuttingDown));
        app.Services.GetService<EngineEndpoints>()?.Add(io.Options.Path, io.Engine);
        var bundle = io.Options.ServeClient ? ClientBundle.Find(io.Options.ClientBundleDirectory) : null;
        return MapPath(app, io.Options.Path, io.Options.Engine.AddTrailingSlash,
            bundle is null ? io.HandleRequestAsync : context => ServeClientOrEngineAsync(context, io, bundle));
    }

    /// <summary>The client files under the path (with the engine's CORS rules, as Node.js), everything else to the engine.</summary>
    private static Task ServeClientOrEngineAsync(HttpContext context, IoServer io, ClientBundle bundle)
    {
        if (ClientBundle.FileOf(context.Request, io.Options.Path.TrimEnd('/')) is not { } file) return io.HandleRequestAsync(context);
        if (io.Options.Engine.Cors is { } cors && EngineCors.Apply(context, cors)) return Task.CompletedTask;
        return bundle.ServeAsync(context, file);
    }

    /// <summary>Serves a bare Engine.IO server (no Socket.IO layer) on <paramref name="path"/>.</summary>
    public static EngineServer MapEngineIo(this WebApplication app, string path, EngineOptions options, IEngineHandler handler)
    {
        EnsureWebSockets(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIoServer.Engine");
        var engine = new EngineServer(options, handler, logger, app.Services.GetService<TimeProvider>());
        app.Lifetime.ApplicationStopping.Register(() => engine.CloseAll(EngineCloseReason.ServerShuttingDown));
        app.Services.GetService<EngineEndpoints>()?.Add(path, engine);
        MapPath(app, path, options.AddTrailingSlash, engine.HandleRequestAsync);
        return engine;
    }

    private static IEndpointConventionBuilder MapPath(IEndpointRouteBuilder endpoints, string path, bool addTrailingSlash, RequestDelegate handler)
    {
        var trimmed = path.TrimEnd('/');
        // "/socket.io/" and anything below, every method (OPTIONS preflights included); "/socket.io" itself only
        // without addTrailingSlash, as Node.js (routing cannot tell the two apart, so the handler does)
        return endpoints.Map(trimmed + "/{**rest}", context =>
        {
            if (addTrailingSlash && context.Request.Path.Value?.Length == trimmed.Length)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return handler(context);
        });
    }

    private static void EnsureWebSockets(WebApplication app)
    {
        var properties = ((IApplicationBuilder)app).Properties;
        if (properties.ContainsKey(WebSocketsAdded)) return;
        properties[WebSocketsAdded] = true;
        app.UseWebSockets();
    }
}
