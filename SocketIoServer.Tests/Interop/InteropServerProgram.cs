using SocketIoServer.Parser.MsgPack;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;

namespace SocketIoServer.Tests.Interop;

/// <summary>
/// Lets the test command run the interop server as a process for the JavaScript suite:
/// <c>dotnet SocketIoServer.Tests.dll interop-server --port N</c> (and its variants on the ports after N: N+1 with
/// the msgpack parser, N+2 with AllowEIO3 for socket.io-client 2.x, N+3 with connection state recovery), and one
/// node of a Redis cluster for the multi-process cluster tests:
/// <c>dotnet SocketIoServer.Tests.dll cluster-node --port N --redis URL --key PREFIX --name NAME</c>. Test runners
/// load this assembly as a library and never call it.
/// </summary>
public static class InteropServerProgram
{
    private const string Usage = "usage: SocketIoServer.Tests interop-server [--port N] | cluster-node --port N --redis URL --key PREFIX --name NAME";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "cluster-node") return await RunClusterNodeAsync(args[1..]);
        if (args.Length < 1 || args[0] != "interop-server")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var port = 3210;
        if (args.Length >= 3 && args[1] == "--port" && !int.TryParse(args[2], out port))
        {
            Console.Error.WriteLine($"error: --port: '{args[2]}' is not a number");
            return 2;
        }
        // the same app with other server options, each one port further (js/lib/helpers.mjs knows the list); started
        // before the base port, which the test command waits for, so that every variant listens once it answers
        (int Port, Action<SocketIoOptions> Configure)[] variants =
        [
            (port + 1, o => o.Parser = MsgPackPacketParser.Instance),
            (port + 2, o => o.Engine.AllowEIO3 = true),
            // maxDisconnectionDuration short, so that the expiry test need not wait long
            (port + 3, o => o.ConnectionStateRecovery = new() { MaxDisconnectionDuration = TimeSpan.FromSeconds(2) }),
        ];
        var apps = new List<InteropApp>();
        try
        {
            foreach (var (variantPort, configure) in variants) apps.Add(await InteropApp.StartAsync(variantPort, configure));
            apps.Add(await InteropApp.StartAsync(port));
            foreach (var app in apps) Console.WriteLine($"interop server listening on {app.Url}");
            await apps[^1].WaitForShutdownAsync(); // SIGTERM / SIGINT / Ctrl+C, through the host's console lifetime
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
        return 0;
    }

    /// <summary>The interop app on the Redis adapter, as one of several processes of a cluster.</summary>
    private static async Task<int> RunClusterNodeAsync(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) flags[args[i]] = args[i + 1];
        if (args.Length % 2 != 0 || !flags.TryGetValue("--redis", out var redis) || !flags.TryGetValue("--name", out var name)
            || !int.TryParse(flags.GetValueOrDefault("--port", "0"), out var port))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        await using var factory = await RedisAdapterFactory.ConnectAsync(redis,
            new RedisAdapterOptions { Key = flags.GetValueOrDefault("--key", "socket.io"), RequestsTimeout = TimeSpan.FromSeconds(3) });
        await using var app = await InteropApp.StartAsync(port, o => o.AdapterFactory = factory.Create);
        app.JoinClusterAs(name);
        Console.WriteLine($"cluster node {name} listening on {app.Url}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
