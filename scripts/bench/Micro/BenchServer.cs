using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIoServer.Engine;
using SocketIoServer.Server;

namespace SocketIoServer.Bench.Micro;

/// <summary>
/// A real IoServer with <c>count</c> polling clients connected to "/" through its public request handler (in-memory
/// HttpContexts: handshake GET, then a POST of the CONNECT packet "40"), so the connections, clients and sockets are
/// exactly those the server makes. Nothing ever reads the outboxes but the benchmarks (<see cref="Drain"/>).
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private BenchServer(IoServer io, EngineConnection[] connections, FrameOutbox[] outboxes)
    {
        Io = io;
        Connections = connections;
        Outboxes = outboxes;
    }

    public IoServer Io { get; }

    public EngineConnection[] Connections { get; }

    /// <summary>Each connection's outbox, read the way the transports read it.</summary>
    internal FrameOutbox[] Outboxes { get; }

    public static async Task<BenchServer> StartAsync(int count)
    {
        var hour = TimeSpan.FromHours(1); // no ping, pong timeout or connect timeout during a run
        var io = new IoServer(new SocketIoOptions
        {
            ConnectTimeout = hour,
            Engine = new EngineOptions { PingInterval = hour, PingTimeout = hour, PollingCloseTimeout = hour },
        }, NullLoggerFactory.Instance);

        var connections = new EngineConnection[count];
        var outboxes = new FrameOutbox[count];
        for (var i = 0; i < count; i++)
        {
            var handshake = Request("GET", "?EIO=4&transport=polling");
            await io.HandleRequestAsync(handshake);
            var open = Body(handshake); // 0{"sid":"...",...}
            var sid = JsonDocument.Parse(open.AsMemory(1)).RootElement.GetProperty("sid").GetString()!;
            if (!io.Engine.TryGetConnection(sid, out connections[i])) throw new InvalidOperationException("no session " + sid);
            outboxes[i] = OutboxOf(connections[i]);

            var connect = Request("POST", $"?EIO=4&transport=polling&sid={sid}", "40");
            await io.HandleRequestAsync(connect);
            if (connect.Response.StatusCode != 200) throw new InvalidOperationException("CONNECT refused: " + connect.Response.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (io.MainNamespace.Sockets.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{io.MainNamespace.Sockets.Count} of {count} sockets joined");
            await Task.Delay(1);
        }

        var server = new BenchServer(io, connections, outboxes);
        server.Drain(); // the CONNECT replies
        return server;
    }

    /// <summary>Takes every queued frame off every outbox, as a transport does; returns how many.</summary>
    public int Drain()
    {
        var n = 0;
        foreach (var outbox in Outboxes)
            while (outbox.TryTake(out _)) n++;
        return n;
    }

    private static FrameOutbox OutboxOf(EngineConnection connection) => connection.Outbox;

    private static DefaultHttpContext Request(string method, string query, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/socket.io/";
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.ContentType = "text/plain;charset=UTF-8";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) =>
        Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    public async ValueTask DisposeAsync() => await Io.DisposeAsync();
}
