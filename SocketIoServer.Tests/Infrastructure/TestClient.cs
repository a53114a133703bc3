using System.Text.Json.Nodes;
using SocketIOClient;

namespace SocketIoServer.Tests.Infrastructure;

/// <summary>The server refused the namespace connection (CONNECT_ERROR); <see cref="Exception.Message"/> is its message.</summary>
public sealed class ConnectErrorException(string message) : Exception(message);

/// <summary>
/// A real <see cref="SocketIO"/> client (SocketIOClient 3.0.6) wired for tests: records events, turns callbacks
/// into awaitable tasks, and bounds every wait by <see cref="TestWait.Timeout"/>. The package connects one
/// namespace per client (no shared manager), so two namespaces take two clients.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _connectError = TestWait.Source<string>();
    private readonly TaskCompletionSource<string> _disconnected = TestWait.Source<string>();

    private TestClient(SocketIO socket, ClientTransport transport)
    {
        Socket = socket;
        Transport = transport;
        socket.OnConnected += (_, _) => _connected.TrySetResult();
        socket.OnError += (_, message) => _connectError.TrySetResult(message);
        socket.OnDisconnected += (_, reason) => _disconnected.TrySetResult(reason);
    }

    public SocketIO Socket { get; }

    public ClientTransport Transport { get; }

    public EventLog Events { get; } = new();

    /// <summary>The socket id the server gave (the CONNECT packet's sid); set once connected.</summary>
    public string Id => Socket.Id ?? throw new InvalidOperationException("not connected");

    public bool Connected => Socket.Connected;

    /// <summary>Completes with the client-side reason ("io server disconnect", "transport close"...).</summary>
    public Task<string> Disconnected => _disconnected.Task;

    /// <summary>A client for <paramref name="baseUrl"/> + <paramref name="nsp"/>, not connected yet; "auth" is recorded.</summary>
    public static TestClient Create(string baseUrl, ClientTransport transport, string nsp = "/", object? auth = null,
        IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        var (protocol, autoUpgrade) = transport.ToOptions();
        var options = new SocketIOOptions
        {
            Transport = protocol,
            AutoUpgrade = autoUpgrade,
            EIO = 4,
            Reconnection = false,
            ConnectionTimeout = TestWait.Timeout,
            Auth = auth,
            Query = query,
        };
        var uri = new Uri(new Uri(baseUrl), nsp);
        var client = new TestClient(new SocketIO(uri, options), transport);
        client.Record("auth");
        return client;
    }

    /// <summary>Creates and connects; fails on a connect error or after the timeout.</summary>
    public static async Task<TestClient> ConnectAsync(string baseUrl, ClientTransport transport, string nsp = "/", object? auth = null,
        params string[] record)
    {
        var client = Create(baseUrl, transport, nsp, auth);
        client.Record(record);
        try
        {
            await client.ConnectAsync();
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    /// <summary>Records every event of these names in <see cref="Events"/> (binary ones included).</summary>
    public TestClient Record(params string[] names)
    {
        // the package's OnAny sees no binary events, so one handler per name
        foreach (var name in names) Socket.On(name, response => Events.Add(new ReceivedEvent(name, response)));
        return this;
    }

    /// <summary>Connects to the namespace; throws <see cref="ConnectErrorException"/> when the server refuses.</summary>
    public async Task ConnectAsync()
    {
        await Socket.ConnectAsync().Within("the transport to open");
        var first = await Task.WhenAny(_connected.Task, _connectError.Task).Within("CONNECT or CONNECT_ERROR");
        if (first == _connectError.Task) throw new ConnectErrorException(await _connectError.Task);
    }

    /// <summary>Connects expecting a refusal; returns the CONNECT_ERROR message.</summary>
    public async Task<string> ConnectExpectingErrorAsync()
    {
        await Socket.ConnectAsync().Within("the transport to open");
        var first = await Task.WhenAny(_connected.Task, _connectError.Task).Within("CONNECT or CONNECT_ERROR");
        if (first == _connected.Task) Assert.Fail($"expected a connect error, but the client connected as {Socket.Id}");
        return await _connectError.Task;
    }

    public Task EmitAsync(string eventName, params object?[] args) => Socket.EmitAsync(eventName, args).Within($"emit {eventName}");

    /// <summary>Emits with an acknowledgement and waits for the server's answer.</summary>
    public async Task<ReceivedEvent> EmitWithAckAsync(string eventName, params object?[] args)
    {
        var answer = TestWait.Source<SocketIOResponse>();
        await Socket.EmitAsync(eventName, r => answer.TrySetResult(r), args).Within($"emit {eventName}");
        return new ReceivedEvent(eventName, await answer.Task.Within($"the acknowledgement of {eventName}"));
    }

    /// <summary>Emits with an acknowledgement and returns its first argument as JSON.</summary>
    public async Task<JsonNode?> AskAsync(string eventName, params object?[] args) =>
        (await EmitWithAckAsync(eventName, args)).Args.FirstOrDefault();

    /// <summary>
    /// The array an event acknowledges with (get-rooms, join, fetch-sockets). Node.js would answer
    /// <c>callback(array)</c>; InteropApp's <c>e.Ack(array)</c> spreads the array over the acknowledgement's arguments
    /// (a reference-type array converts to the <c>params object?[]</c> itself), so both shapes are accepted here and
    /// <c>RoomsAndBroadcastTests.ArrayAcks_AreOneArgument</c> checks the shape on its own.
    /// </summary>
    public async Task<JsonArray> AskListAsync(string eventName, params object?[] args)
    {
        var answer = await EmitWithAckAsync(eventName, args);
        return answer.Args is [JsonArray single] ? single : answer.Args;
    }

    public async Task DisconnectAsync()
    {
        await Socket.DisconnectAsync().Within("disconnect");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Socket.Connected) await Socket.DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // the server may already be gone
        }
        try
        {
            Socket.Dispose();
        }
        catch (Exception ex) when (ex is NullReferenceException or ObjectDisposedException)
        {
            // 3.0.6 throws when disposed before its transport was created
        }
    }
}
