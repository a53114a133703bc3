using SocketIoServer.Parser.MsgPack;
using SocketIoServer.Server;

namespace SocketIoServer.Tests.Interop;

/// <summary>
/// Lets the test command run the interop server as a process for the JavaScript suite:
/// <c>dotnet SocketIoServer.Tests.dll interop-server --port N</c> (and its variants on the ports after N: N+1 with
/// the msgpack parser, N+2 with AllowEIO3 for socket.io-client 2.x, N+3 with connection state recovery). Test runners
/// load this assembly as a library and never call it.
/// </summary>
public static class InteropServerProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 1 || args[0] != "interop-server")
        {
            Console.Error.WriteLine("usage: SocketIoServer.Tests interop-server [--port N]");
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
}
