using System.Globalization;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// The protocol fixture as a process of its own (<c>SocketIoServer.dll fixture ...</c>), so that a test can kill it
/// with SIGKILL: no shutdown code runs, no session is saved on the way out.
/// </summary>
public sealed class FixtureProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private FixtureProcess(ServerProcess process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Starts the fixture on a free port with <paramref name="flags"/> and waits until it answers a polling handshake.</summary>
    public static async Task<FixtureProcess> StartAsync(params string[] flags)
    {
        var port = TestEnvironment.FreePort();
        var url = $"http://localhost:{port}";
        var process = new ServerProcess("fixture " + port, [ChatServerProcess.ServerDll, "fixture", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--ping-interval", "30000", "--ping-timeout", "20000", .. flags], url + "/socket.io/?EIO=4&transport=polling");
        await process.StartAsync();
        return new FixtureProcess(process, url);
    }

    /// <summary><paramref name="count"/> fixtures on the streams adapter of <paramref name="redisUrl"/>, recovery on.</summary>
    public static Task<FixtureProcess[]> StartRecoveringClusterAsync(int count, string redisUrl) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => StartAsync("--redis-streams", redisUrl, "--recovery")));

    /// <summary>SIGKILL, as when the machine or the container dies.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
