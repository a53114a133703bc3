using System.Text.Json.Nodes;
using SocketIoServer.Server;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Infrastructure;

public static class ServerHelpers
{
    /// <summary>The server-side socket of a connected client.</summary>
    public static Socket ServerSocket(this InteropApp app, TestClient client, string nsp = "/") =>
        app.Io.Of(nsp).Sockets.TryGetValue(client.Id, out var socket)
            ? socket
            : throw new InvalidOperationException($"no server socket {client.Id} in {nsp}");

    /// <summary>Asserts that two JSON values are equal (numbers by value, object members in any order).</summary>
    public static void AssertJson(JsonNode? actual, string expectedJson, string? message = null) =>
        Assert.That(JsonNode.DeepEquals(actual, JsonNode.Parse(expectedJson)), Is.True,
            $"{message}{(message is null ? "" : ": ")}expected {expectedJson} but was {actual?.ToJsonString() ?? "null"}");

    /// <summary>Waits for the server to record why socket <paramref name="socketId"/> disconnected (InteropApp namespaces).</summary>
    public static async Task<string> DisconnectReasonAsync(this InteropApp app, string socketId)
    {
        await TestWait.UntilAsync(() => app.DisconnectReasons.ContainsKey(socketId), $"the server to see {socketId} disconnect");
        return app.DisconnectReasons[socketId];
    }

    /// <summary>Completes with the reason the first socket connecting to <paramref name="nsp"/> is disconnected.</summary>
    public static Task<(Socket Socket, string Reason)> NextDisconnectAsync(this InteropApp app, string nsp = "/")
    {
        var done = TestWait.Source<(Socket, string)>();
        app.Io.Of(nsp).OnConnection(s => s.Disconnected += (socket, reason) => done.TrySetResult((socket, reason)));
        return done.Task;
    }
}

/// <summary>
/// Several named clients on one namespace, each recording the events a broadcast test looks at, with a barrier:
/// <see cref="SyncAsync"/> broadcasts a sentinel to every socket and waits until each got it. Packets to one
/// connection keep their order, so once the sentinel arrived everything sent before it has arrived too, and the
/// "who got what" assertions need no sleeps.
/// </summary>
public sealed class ClientGroup : IAsyncDisposable
{
    private readonly InteropApp _app;
    private readonly Dictionary<string, TestClient> _clients;
    private int _sentinel;

    private ClientGroup(InteropApp app, Dictionary<string, TestClient> clients)
    {
        _app = app;
        _clients = clients;
    }

    public TestClient this[string name] => _clients[name];

    public IReadOnlyCollection<string> Names => _clients.Keys;

    public static async Task<ClientGroup> ConnectAsync(InteropApp app, ClientTransport transport, string[] names, params string[] record)
    {
        var clients = await Task.WhenAll(names.Select(name =>
            TestClient.ConnectAsync(app.Url, transport, "/", new { name }, [.. record, "sentinel"])));
        return new ClientGroup(app, names.Zip(clients).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
    }

    /// <summary>Joins rooms through the interop server's "join" event (acknowledged).</summary>
    public async Task JoinAsync(string name, params string[] rooms) => await _clients[name].AskListAsync("join", new object[] { rooms });

    /// <summary>Barrier: every client has received everything the server sent it before this call.</summary>
    public async Task SyncAsync()
    {
        var n = Interlocked.Increment(ref _sentinel);
        // one emit per socket rather than io.Emit, so the barrier does not depend on the broadcast code under test
        foreach (var client in _clients.Values) _app.ServerSocket(client).Emit("sentinel", n);
        await Task.WhenAll(_clients.Values.Select(c =>
            c.Events.WaitAsync("sentinel", e => e.Args[0]!.GetValue<int>() == n)));
    }

    /// <summary>The sorted names of the clients that received <paramref name="eventName"/>, once per reception.</summary>
    public string[] Receivers(string eventName) =>
        _clients.SelectMany(c => Enumerable.Repeat(c.Key, c.Value.Events.Count(eventName))).Order(StringComparer.Ordinal).ToArray();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values) await client.DisposeAsync();
    }
}
