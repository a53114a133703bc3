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
        // the default server, and next to it the variants some suites need (js/README.md): one per port after it
        await using var app = await InteropApp.StartAsync(port);
        await using var recovery = await InteropApp.StartAsync(port + 3, o => o.ConnectionStateRecovery = new()
        {
            MaxDisconnectionDuration = TimeSpan.FromSeconds(2), // short, so that the expiry test need not wait long
        });
        Console.WriteLine($"interop server listening on {app.Url} (connection state recovery: {recovery.Url})");
        await app.WaitForShutdownAsync(); // SIGTERM / SIGINT / Ctrl+C, through the host's console lifetime
        return 0;
    }
}
