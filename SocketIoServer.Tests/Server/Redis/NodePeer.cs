using System.Diagnostics;
using System.Text.Json.Nodes;
using SocketIoServer.Tests.Infrastructure;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// The Node.js peer of the mixed-cluster tests (<c>js/cluster/node-peer.mjs</c>: socket.io 4.8 on
/// <c>@socket.io/redis-adapter</c>), run as a child process and driven by one JSON command per line.
/// </summary>
public sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private NodePeer(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <param name="peerScript">The peer to run, in <c>js/cluster/</c>: <c>streams-peer.mjs</c> for the streams adapter.</param>
    /// <param name="servers">The nodes the cluster has with this one: the peer is ready once its adapter counts them all
    /// (so that no request of the test is made before the peer's subscriptions are).</param>
    public static async Task<NodePeer> StartAsync(string key, string peerScript = "node-peer.mjs", string? redisUrl = null, int servers = 2)
    {
        var (process, ready) = await LaunchAsync(peerScript, new()
        {
            ["REDIS_URL"] = redisUrl ?? RedisTestServer.Url,
            ["KEY"] = key,
            ["PORT"] = "0",
            ["EXPECT_SERVERS"] = servers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new NodePeer(process, $"http://localhost:{ready["ready"]!.GetValue<int>()}");
    }

    /// <summary>
    /// <c>js/cluster/lb-client.mjs</c>: a real socket.io-client on <paramref name="url"/> with its own reconnection on,
    /// in <paramref name="room"/>; <c>{cmd:"state"}</c> tells its connections, disconnections and events.
    /// </summary>
    public static async Task<NodePeer> StartClientAsync(string url, string room)
    {
        var (process, _) = await LaunchAsync("lb-client.mjs", new() { ["URL"] = url, ["ROOM"] = room });
        return new NodePeer(process, url);
    }

    /// <summary>Runs a script of <c>js/cluster/</c> and waits for its first line, <c>{"ready":...}</c>.</summary>
    private static async Task<(Process, JsonNode)> LaunchAsync(string script, Dictionary<string, string> environment)
    {
        var path = Path.Combine(Support.TestEnvironment.RepositoryRoot, "SocketIoServer.Tests", "js", "cluster", script);
        var info = new ProcessStartInfo("node", [path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine(script + ": " + e.Data); };
        process.BeginErrorReadLine();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException($"{script} exited before it was ready");
        return (process, JsonNode.Parse(ready)!);
    }

    /// <summary>A client of the peer, in <paramref name="room"/> (its <c>rooms</c> query parameter), recording the events named.</summary>
    public async Task<TestClient> ClientAsync(string room, params string[] record)
    {
        var client = TestClient.Create(Url, ClientTransport.WebSocket, query: [new("rooms", room)]);
        client.Record(record);
        await client.ConnectAsync();
        return client;
    }

    /// <summary>A command line for the peer: <c>{cmd, ...fields}</c>.</summary>
    public static JsonObject Command(string cmd, params (string Key, JsonNode? Value)[] fields)
    {
        var command = new JsonObject { ["cmd"] = cmd };
        foreach (var (key, value) in fields) command[key] = value;
        return command;
    }

    /// <summary>Runs a command; its result, or an exception with the peer's error.</summary>
    public async Task<JsonNode?> RunAsync(JsonObject command)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command.ToJsonString());
            await _process.StandardInput.FlushAsync();
            var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(15))
                ?? throw new InvalidOperationException("the Node.js peer exited");
            var answer = JsonNode.Parse(line)!.AsObject();
            if (answer["error"] is { } error) throw new InvalidOperationException("node peer: " + error);
            return answer["ok"];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // the peer exits when its input ends
            if (!await WaitExitAsync(TimeSpan.FromSeconds(5))) _process.Kill();
        }
        _process.Dispose();
    }

    private async Task<bool> WaitExitAsync(TimeSpan limit)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
