using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Hosting;
using SocketIoServer.Server;

namespace SocketIoServer.Tests.Interop;

/// <summary>
/// The server the interop tests talk to, with both real clients (the SocketIOClient package from NUnit, the npm
/// socket.io-client from the JavaScript suite): every server feature reachable through events. Documented in
/// js/README.md.
/// </summary>
public sealed class InteropApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InteropApp(WebApplication app, IoServer io)
    {
        _app = app;
        Io = io;
    }

    public IoServer Io { get; }

    public string Url { get; private set; } = "";

    /// <summary>
    /// Set when this app is one node of a cluster: its sockets carry <c>Data["node"]</c> = this name, and it answers
    /// the server-side event <c>hello</c> with it, so that a test can tell which node did what.
    /// </summary>
    public string? NodeName { get; private set; }

    public void JoinClusterAs(string nodeName)
    {
        NodeName = nodeName;
        Io.MainNamespace.OnServerSideEvent("hello", e => e.Ack(nodeName));
    }

    /// <summary>Why each socket was disconnected, by socket id, as the server saw it.</summary>
    public ConcurrentDictionary<string, string> DisconnectReasons { get; } = new();

    public static async Task<InteropApp> StartAsync(int port = 0, Action<SocketIoOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // WebSockets at the connection level, as the protocol fixture and the chat server run (the in-process
        // TestHost of the .NET tests keeps the ASP.NET Core pipeline path covered)
        builder.WebHost.UseKestrel(k =>
        {
            k.UseSocketIoWebSockets();
            k.Listen(System.Net.IPAddress.Loopback, port);
        });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("SOCKETIO_TEST_LOG") == "1")
        {
            // for diagnosing a failing test: the server's own log on the console
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }
        builder.Services.AddSocketIo(o =>
        {
            o.ConnectTimeout = TimeSpan.FromSeconds(5);
            o.Engine.PingInterval = TimeSpan.FromMilliseconds(1000);
            o.Engine.PingTimeout = TimeSpan.FromMilliseconds(1000);
            o.Engine.Cors = new global::SocketIoServer.Engine.EngineCorsOptions { Origins = ["*"] };
            configure?.Invoke(o);
        });
        var app = builder.Build();
        var io = app.Services.GetRequiredService<IoServer>();
        var interop = new InteropApp(app, io);
        app.MapSocketIo(interop.Configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        interop.Url = address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        return interop;
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, SIGINT).</summary>
    public Task WaitForShutdownAsync()
    {
        var stopping = new TaskCompletionSource();
        _app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Configure(IoServer io)
    {
        io.OnConnection(socket => SetUpSocket(io.MainNamespace, socket));
        io.Of("/custom").OnConnection(socket => SetUpSocket(io.Of("/custom"), socket));

        io.Of("/refused").Use(_ => throw new ConnectionRefusedException("not authorized", new { code = "E_REFUSED" }));

        io.Of("/slow-auth").Use(async (socket, ct) =>
        {
            await Task.Delay(100, ct);
            if (socket.Handshake.Auth["token"]?.GetValue<string>() != "good")
                throw new InvalidOperationException("bad token");
        });
        io.Of("/slow-auth").OnConnection(socket => socket.Emit("auth", socket.Handshake.Auth));

        io.Of(new Regex("^/dynamic-\\d+$")).OnConnection(socket =>
            socket.Emit("auth", new JsonObject { ["nsp"] = socket.Namespace.Name }));
    }

    private void SetUpSocket(Namespace nsp, Socket socket)
    {
        if (socket.Handshake.Auth["name"] is JsonValue name) socket.Data["name"] = name.GetValue<string>();
        if (NodeName is not null) socket.Data["node"] = NodeName;
        socket.Disconnected += (s, reason) => DisconnectReasons[s.Id] = reason;
        socket.Emit("auth", socket.Handshake.Auth);

        socket.On("message", e => socket.Emit("message-back", e.Args));
        socket.On("message-with-ack", e => e.Ack(e.Args));

        socket.On("server-ack", async e =>
        {
            try
            {
                var answer = await socket.Timeout(TimeSpan.FromMilliseconds(e.Arg<int?>(1) ?? 2000)).EmitWithAckAsync("ask", e.Args[0]);
                e.Ack(new { ok = true, response = answer }); // nodes, binary included, are written back as they came
            }
            catch (TimeoutException)
            {
                e.Ack(new JsonObject { ["ok"] = false, ["error"] = "timeout" });
            }
        });

        socket.On("binary-from-server", e =>
            socket.Emit("binary", new byte[] { 1, 2, 3 }, new JsonObject { ["nested"] = JsonValue.Create(new byte[] { 4, 5 }), ["text"] = "t" }));

        socket.On("join", e =>
        {
            var rooms = e.Arg<string[]>(0) ?? [];
            socket.Join(rooms);
            e.Ack((object)rooms);
        });
        socket.On("leave", e =>
        {
            if (e.Arg<string>(0) is { } room) socket.Leave(room);
            e.Ack();
        });
        socket.On("get-state", e => e.Ack(new { recovered = socket.Recovered, name = socket.Data.GetValueOrDefault("name") }));
        socket.On("get-rooms", e => e.Ack((object)socket.Rooms.Order(StringComparer.Ordinal).ToArray()));

        socket.On("emit-to", async e =>
        {
            var request = e.Arg<EmitRequest>(0)!;
            var op = request.FromSocket ? socket.Broadcast : nsp.To();
            op = op.To(request.Rooms ?? []).Except(request.Except ?? []);
            if (request.Volatile) op = op.Volatile;
            if (request.Local) op = op.Local;
            await op.EmitAsync(request.Event, RequestArgs(e));
            e.Ack();
        });

        socket.On("broadcast-with-ack", async e =>
        {
            var request = e.Arg<EmitRequest>(0)!;
            var op = (request.FromSocket ? socket.Broadcast : nsp.To()).To(request.Rooms ?? []).Except(request.Except ?? [])
                .Timeout(TimeSpan.FromMilliseconds(request.TimeoutMs ?? 1000));
            try
            {
                var responses = await op.EmitWithAckAsync(request.Event, RequestArgs(e));
                e.Ack(new { ok = true, responses });
            }
            catch (BroadcastAckTimeoutException timeout)
            {
                e.Ack(new { ok = false, responses = timeout.Responses });
            }
        });

        socket.On("fetch-sockets", async e =>
        {
            var request = e.Arg<EmitRequest>(0);
            var sockets = await nsp.In(request?.Rooms ?? []).Except(request?.Except ?? []).FetchSocketsAsync();
            e.Ack((object)sockets.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new
            {
                id = s.Id,
                rooms = s.Rooms.Order(StringComparer.Ordinal).ToArray(),
                data = s.Data,
            }).ToArray());
        });
        socket.On("sockets-join", async e =>
        {
            var request = e.Arg<EmitRequest>(0)!;
            await nsp.In(request.Rooms ?? []).Except(request.Except ?? []).SocketsJoinAsync(request.Target!);
            e.Ack();
        });
        socket.On("sockets-leave", async e =>
        {
            var request = e.Arg<EmitRequest>(0)!;
            await nsp.In(request.Rooms ?? []).Except(request.Except ?? []).SocketsLeaveAsync(request.Target!);
            e.Ack();
        });
        socket.On("disconnect-sockets", async e =>
        {
            var request = e.Arg<EmitRequest>(0)!;
            e.Ack();
            await nsp.In(request.Rooms ?? []).Except(request.Except ?? []).DisconnectSocketsAsync(request.Close);
        });
        socket.On("server-side-emit", async e =>
        {
            var responses = await nsp.ServerSideEmitAsync("hello", 1);
            e.Ack(responses.Count);
        });
        // the answers themselves, with a timeout (the other nodes of a cluster say their names)
        socket.On("server-side-emit-with-ack", async e =>
        {
            var responses = await nsp.ServerSideEmitWithAckAsync("hello", TimeSpan.FromMilliseconds(e.Arg<int?>(0) ?? 2000), 1);
            e.Ack((object)responses.Select(r => r.ElementAtOrDefault(0)?.DeepClone()).ToArray());
        });
        socket.On("server-count", async e => e.Ack(await nsp.Adapter.ServerCountAsync()));
        socket.On("disconnect-me", e => socket.Disconnect(e.Arg<bool>(0)));
        socket.On("get-disconnect-reason", e =>
            e.Ack(e.Arg<string>(0) is { } id && DisconnectReasons.TryGetValue(id, out var reason) ? reason : null));
        socket.On("get-handshake", e => e.Ack(new
        {
            query = socket.Handshake.Query,
            auth = socket.Handshake.Auth,
            address = socket.Handshake.Address,
            secure = socket.Handshake.Secure,
            url = socket.Handshake.Url,
            xdomain = socket.Handshake.XDomain,
            issued = socket.Handshake.Issued,
            userAgent = socket.Handshake.Headers.GetValueOrDefault("user-agent"),
            transport = socket.Transport,
        }));
    }

    /// <summary>The "args" of a request as the client sent them (binary values stay binary).</summary>
    private static object?[] RequestArgs(SocketEvent e) =>
        (e.Args.ElementAtOrDefault(0) as JsonObject)?["args"] is JsonArray args ? args.ToArray<object?>() : [];

    private sealed class EmitRequest
    {
        public string[]? Rooms { get; set; }
        public string[]? Except { get; set; }
        public string Event { get; set; } = "";
        public bool FromSocket { get; set; }
        public bool Volatile { get; set; }
        public bool Local { get; set; }
        public bool Close { get; set; }
        public int? TimeoutMs { get; set; }
        public string? Target { get; set; }
    }
}
