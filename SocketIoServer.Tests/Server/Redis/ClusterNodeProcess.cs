using System.Globalization;
using System.Reflection;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// One node of a Redis cluster in a process of its own (<c>SocketIoServer.Tests.dll cluster-node</c>: the interop app
/// on the Redis adapter, see InteropServerProgram), so that a test can run several nodes as separate processes and
/// kill one with SIGKILL.
/// </summary>
public sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ClusterNodeProcess(ServerProcess process, string name, string url)
    {
        _process = process;
        Name = name;
        Url = url;
    }

    public string Name { get; }

    public string Url { get; }

    /// <summary>Starts the node on a free port and waits until it answers a polling handshake.</summary>
    public static async Task<ClusterNodeProcess> StartAsync(string key, string name)
    {
        var port = TestEnvironment.FreePort();
        var url = $"http://localhost:{port}";
        var process = new ServerProcess("cluster node " + name, [Assembly.GetExecutingAssembly().Location, "cluster-node",
            "--port", port.ToString(CultureInfo.InvariantCulture), "--redis", RedisTestServer.Url, "--key", key, "--name", name],
            url + "/socket.io/?EIO=4&transport=polling");
        await process.StartAsync();
        return new ClusterNodeProcess(process, name, url);
    }

    /// <summary>SIGKILL: the node vanishes without a word to Redis or its clients.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
