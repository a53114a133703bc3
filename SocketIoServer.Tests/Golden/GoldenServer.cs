using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketIoServer.Engine;
using SocketIoServer.Hosting;
using SocketIoServer.Server;

namespace SocketIoServer.Tests.Golden;

/// <summary>
/// Our server with exactly the shape of the Node.js server that recorded <c>server-responses.json</c>
/// (scripts/fixtures-gen/lib/live.mjs, <c>startServer</c>): same options, same handlers on "/" and "/custom",
/// a refusing middleware on "/refused", nothing else. The protocol fixture (FixtureApp) lacks "echo",
/// "send-binary" and "/refused", so the golden tests use this one.
/// </summary>
public sealed class GoldenServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GoldenServer(WebApplication app, IoServer io, int port)
    {
        _app = app;
        Io = io;
        Port = port;
    }

    public IoServer Io { get; }

    /// <summary>Loopback port (the server listens on 127.0.0.1 only, like the recording server).</summary>
    public int Port { get; }

    /// <param name="eio3">The server of the Engine.IO v3 cases (live-eio3.mjs): allowEIO3, pingInterval 1000, pingTimeout 500.</param>
    public static async Task<GoldenServer> StartAsync(bool eio3 = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        // new Server(httpServer, { pingInterval: 300, pingTimeout: 200, maxHttpBufferSize: 1e6,
        //                          connectTimeout: 1000, cors: { origin: "*" } }), default path /socket.io/
        builder.Services.AddSocketIo(o =>
        {
            o.Path = "/socket.io";
            o.ConnectTimeout = TimeSpan.FromMilliseconds(1000);
            o.Engine.PingInterval = TimeSpan.FromMilliseconds(300);
            o.Engine.PingTimeout = TimeSpan.FromMilliseconds(200);
            o.Engine.MaxHttpBufferSize = 1_000_000;
            o.Engine.Cors = new EngineCorsOptions { Origins = ["*"] };
            if (eio3)
            {
                // { ...SERVER_OPTIONS, allowEIO3: true, pingInterval: 1000, pingTimeout: 500 }
                o.Engine.AllowEIO3 = true;
                o.Engine.PingInterval = TimeSpan.FromMilliseconds(1000);
                o.Engine.PingTimeout = TimeSpan.FromMilliseconds(500);
            }
        });
        var app = builder.Build();
        var io = app.Services.GetRequiredService<IoServer>();
        app.MapSocketIo(server =>
        {
            server.OnConnection(OnConnection);
            server.Of("/custom").OnConnection(OnConnection);
            // io.of("/refused").use((socket, next) => { err = new Error("refused by middleware");
            //                                           err.data = { code: "E1" }; next(err); })
            server.Of("/refused").Use(_ => throw new ConnectionRefusedException("refused by middleware", new { code = "E1" }));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GoldenServer(app, io, new Uri(address).Port);
    }

    /// <summary>The recording server's <c>onConnection</c>, shared by "/" and "/custom".</summary>
    private static void OnConnection(Socket socket)
    {
        socket.Emit("auth", socket.Handshake.Auth);
        // "echo": acks with the received arguments when the client asked for an ack, otherwise emits them back
        socket.On("echo", e =>
        {
            if (e.HasAck) e.Ack(e.Args);
            else socket.Emit("echo", e.Args);
        });
        // "send-binary": socket.emit("bin", Buffer.from([1, 2, 3]), { nested: Buffer.from([4]) })
        socket.On("send-binary", _ => socket.Emit("bin", new byte[] { 1, 2, 3 }, new { nested = new byte[] { 4 } }));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
