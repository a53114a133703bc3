namespace SocketIoServer.Tests.Interop;

/// <summary>
/// Lets the test command run the interop server as a process for the JavaScript suite:
/// <c>dotnet SocketIoServer.Tests.dll interop-server --port N</c>. Test runners load this assembly as a library
/// and never call it.
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
        // the main server on the port, and beside it variants the JavaScript suite finds at port + offset
        (int Offset, Action<SocketIoServer.Server.SocketIoOptions>? Configure)[] servers =
        [
            (0, null),
            (2, o => o.Engine.AllowEIO3 = true), // socket.io-client 2.x (Engine.IO v3)
        ];
        var apps = new List<InteropApp>();
        try
        {
            foreach (var (offset, configure) in servers)
            {
                var app = await InteropApp.StartAsync(port + offset, configure);
                apps.Add(app);
                Console.WriteLine($"interop server listening on {app.Url}");
            }
            await apps[0].WaitForShutdownAsync(); // SIGTERM / SIGINT / Ctrl+C, through the host's console lifetime
        }
        finally
        {
            foreach (var app in apps) await app.DisposeAsync();
        }
        return 0;
    }
}
