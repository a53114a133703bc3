using System.Globalization;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Chat.Support;

/// <summary>
/// The chat server as a separate process (the built <c>SocketIoServer.dll</c>, as <c>dotnet run</c> starts it), so that
/// a test can kill it with SIGKILL and start it again on the same store. Ready when <c>/health</c> answers 200.
/// </summary>
public sealed class ChatServerProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    public ChatServerProcess(Dictionary<string, string> environment)
    {
        var port = TestEnvironment.FreePort();
        Url = $"http://localhost:{port}";
        _process = new ServerProcess("chat " + port, [ServerDll],
            Url + "/health", new Dictionary<string, string>(environment) { ["PORT"] = port.ToString(CultureInfo.InvariantCulture) });
    }

    public string Url { get; }

    /// <summary>The built server next to the tests (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string ServerDll
    {
        get
        {
            var root = TestEnvironment.RepositoryRoot;
            var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
            return Path.Combine(root, "SocketIoServer", "bin", configuration, "net10.0", "SocketIoServer.dll");
        }
    }

    public Task StartAsync() => _process.StartAsync();

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the container dies.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
