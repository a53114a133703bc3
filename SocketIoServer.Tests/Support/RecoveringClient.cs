using System.Text.Json.Nodes;
namespace SocketIoServer.Tests.Support;

/// <summary>
/// A raw WebSocket client speaking the protocol as socket.io-client does with connection state recovery: it keeps
/// the pid of the CONNECT reply and the offset of the last event, and reconnects (to any node) with
/// <c>{pid, offset}</c>. Events sent before the CONNECT reply (the replay) are kept apart.
/// </summary>
public sealed class RecoveringClient : IAsyncDisposable
{
    private RecoveringClient(RawWebSocket ws, string sid, string? pid, List<string> before)
    {
        Ws = ws;
        Sid = sid;
        Pid = pid;
        Before = before;
        Replayed = before.Where(f => f.StartsWith("42", StringComparison.Ordinal)).Select(f => JsonNode.Parse(f[2..])!.AsArray()).ToList();
    }

    public RawWebSocket Ws { get; }

    public string Sid { get; }

    public string? Pid { get; }

    /// <summary>Every frame (pings aside) that came before the CONNECT reply, as it came.</summary>
    public List<string> Before { get; }

    /// <summary>The events that came before the CONNECT reply: a recovered session's missed events.</summary>
    public List<JsonArray> Replayed { get; }

    public string? Offset { get; private set; }

    /// <summary>Opens a session on <paramref name="baseUrl"/> and joins "/"; with <paramref name="previous"/>, asks for its socket back.</summary>
    public static Task<RecoveringClient> ConnectAsync(string baseUrl, RecoveringClient? previous = null) =>
        ConnectAsync(baseUrl, previous?.Pid, previous?.Offset);

    /// <summary>
    /// Opens a session and joins "/" asking for the session <paramref name="pid"/> from <paramref name="offset"/> (when
    /// given), with <paramref name="auth"/>'s fields in the CONNECT packet too (a chat token).
    /// </summary>
    public static Task<RecoveringClient> ConnectAsync(string baseUrl, string? pid, string? offset, JsonObject? auth = null)
    {
        var payload = auth?.DeepClone().AsObject() ?? [];
        if (pid is not null)
        {
            payload["pid"] = pid;
            payload["offset"] = offset ?? "";
        }
        return ConnectWithPayloadAsync(baseUrl, payload.Count == 0 ? "" : payload.ToJsonString(), offset);
    }

    /// <summary>
    /// Opens a session and joins "/" with <paramref name="payload"/> as the CONNECT packet's data, as it is (a
    /// malformed pid or offset too); <paramref name="offset"/> is the offset the client holds until an event brings one.
    /// </summary>
    public static async Task<RecoveringClient> ConnectWithPayloadAsync(string baseUrl, string payload, string? offset = null)
    {
        var ws = await RawWebSocket.ConnectAsync(baseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/socket.io/?EIO=4&transport=websocket");
        var open = await ws.ReceiveTextSkippingPingsAsync(10_000);
        Assert.That(open, Does.StartWith("0{"));
        await ws.SendTextAsync("40" + payload);
        var before = new List<string>();
        while (true)
        {
            var frame = await ws.ReceiveTextSkippingPingsAsync(10_000) ?? throw new AssertionException("closed before CONNECT");
            if (frame.StartsWith("44", StringComparison.Ordinal)) throw new AssertionException("refused: " + frame);
            if (frame.StartsWith("40", StringComparison.Ordinal))
            {
                var reply = JsonNode.Parse(frame[2..])!.AsObject();
                var client = new RecoveringClient(ws, reply["sid"]!.GetValue<string>(), reply["pid"]?.GetValue<string>(), before)
                {
                    Offset = offset,
                };
                foreach (var e in client.Replayed) client.Offset = e[^1]!.GetValue<string>();
                return client;
            }
            before.Add(frame);
        }
    }

    /// <summary>The next event (an ack or other packet is skipped); its offset, when it has one, is kept.</summary>
    public async Task<JsonArray> ReceiveEventAsync(int timeoutMs = 10_000)
    {
        while (true)
        {
            var frame = await Ws.ReceiveTextSkippingPingsAsync(timeoutMs) ?? throw new AssertionException("closed");
            if (!frame.StartsWith("42", StringComparison.Ordinal)) continue;
            var args = JsonNode.Parse(frame[2..])!.AsArray();
            if (args.Count > 1 && args[^1] is JsonValue v && v.TryGetValue<string>(out var offset) && System.Text.RegularExpressions.Regex.IsMatch(offset, "^[0-9]+-[0-9]+$"))
                Offset = offset;
            return args;
        }
    }

    /// <summary>The next event named <paramref name="name"/>, others skipped.</summary>
    public async Task<JsonArray> ReceiveEventAsync(string name, int timeoutMs = 10_000)
    {
        while (true)
        {
            var args = await ReceiveEventAsync(timeoutMs);
            if (args[0]!.GetValue<string>() == name) return args;
        }
    }

    /// <summary>Emits <paramref name="eventName"/>(room) with an ack and waits for the ack (the test nodes' "join", the fixture's "join-room").</summary>
    public async Task JoinAsync(string room, string eventName = "join")
    {
        await Ws.SendTextAsync($"421[\"{eventName}\",\"{room}\"]");
        while (true)
        {
            var frame = await Ws.ReceiveTextSkippingPingsAsync(10_000) ?? throw new AssertionException("closed");
            if (frame.StartsWith("431", StringComparison.Ordinal)) return;
        }
    }

    /// <summary>Cuts the connection with no close frame, as a network drop does.</summary>
    public void Cut() => Ws.Abort();

    public ValueTask DisposeAsync() => Ws.DisposeAsync();
}
