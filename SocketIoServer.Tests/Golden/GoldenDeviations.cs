using System.Text.Json.Nodes;

namespace SocketIoServer.Tests.Golden;

/// <summary>
/// A deliberate difference from Node: <see cref="Rewrite"/> turns the recorded steps into the steps our server is
/// held to, so the test asserts our behaviour explicitly instead of skipping the case.
/// </summary>
public sealed record GoldenDeviation(string Title, string Reason, Func<JsonArray, JsonArray> Rewrite);

/// <summary>Where our server deliberately answers differently from Node.js socket.io 4.8, and why.</summary>
public static class GoldenDeviations
{
    /// <summary>
    /// Applies to every response Node streamed chunked (its JSON errors and empty-bodied errors): ours sends
    /// Content-Length. Checked in <see cref="GoldenReplayer"/>'s header comparison, for every case.
    /// </summary>
    public const string ContentLengthOnErrors =
        "deviation 'error responses have Content-Length': ours frames error bodies with Content-Length where Node "
        + "uses chunked encoding; both are valid HTTP/1.1 framing and a known length lets clients and proxies reuse the connection";

    private const string SessionUnknown =
        """{"http":{"request":{"method":"GET","path":"/socket.io/?EIO=4&transport=polling&sid=<sid>"},"response":{"status":400,"headers":{"access-control-allow-origin":"*","content-type":"application/json","transfer-encoding":"chunked"},"body":"{\"code\":1,\"message\":\"Session ID unknown\"}"}}}""";

    /// <summary>How our server refuses an upgrade before it happens: the same as Node's unknown sid / transport refusals.</summary>
    private const string RefusedBeforeUpgrade =
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: 28\r\n\r\nUnsupported protocol version";

    private static readonly GoldenDeviation UpgradeVersionRefusal = new(
        "EIO=3 / missing EIO on a WebSocket upgrade is refused before the upgrade",
        "Node checks the protocol version only after completing the upgrade (101), then writes a raw HTTP 400 into the "
        + "upgraded socket, which no WebSocket client can read. Ours refuses with a plain HTTP 400 text/html before "
        + "upgrading, exactly like Node's refusals for an unknown sid or transport.",
        steps => ReplaceRawUpgradeResponse(steps, RefusedBeforeUpgrade));

    public static readonly IReadOnlyDictionary<string, GoldenDeviation> ByCase = new Dictionary<string, GoldenDeviation>
    {
        ["polling POST above maxHttpBufferSize"] = new(
            "a POST above maxHttpBufferSize gets 413 and closes the session",
            "Node answers 413 and keeps the session, silently dropping the packets of that payload; ours treats it "
            + "as a transport error like any other unacceptable POST and closes the session, so the client notices "
            + "and reconnects. The next poll finds no session.",
            steps =>
            {
                steps.Add(JsonNode.Parse(SessionUnknown));
                return steps;
            }),

        ["websocket session with events, acks and binary"] = new(
            "a client close packet \"1\" over WebSocket closes the session",
            "Node's WebSocket transport ignores an engine.io close packet from the client (the session lives on until "
            + "the transport closes or times out); the protocol says \"1\" closes the transport, and ours does so. "
            + "The rest of the case is replayed without the \"1\" (and its wait), then \"1\" is sent last and our "
            + "server must close the WebSocket.",
            steps =>
            {
                var close = steps.Select((s, i) => (s, i)).Single(x => x.s!["wsSend"] is JsonValue v && (string)v! == "1").i;
                // the wait that follows is only about the ignored "1"
                if (steps[close + 1]!["wait"] is not null) steps.RemoveAt(close + 1);
                steps.RemoveAt(close);
                var last = steps.Count - 1;
                if (steps[last]!["wsClientClose"] is null) throw new InvalidOperationException("the case should end with a client close");
                steps.RemoveAt(last);
                steps.Add(JsonNode.Parse("""{"wsSend":"1"}"""));
                steps.Add(JsonNode.Parse("""{"wsClose":{"code":1000,"reason":""}}"""));
                return steps;
            }),

        ["websocket upgrade with EIO=3"] = UpgradeVersionRefusal,
        ["websocket upgrade with missing EIO"] = UpgradeVersionRefusal,
    };

    public static JsonArray StepsFor(GoldenCase c) =>
        ByCase.TryGetValue(c.Name, out var d) ? d.Rewrite(c.Steps.DeepClone().AsArray()) : c.Steps.DeepClone().AsArray();

    private static JsonArray ReplaceRawUpgradeResponse(JsonArray steps, string response)
    {
        var raw = steps.Single(s => s!["rawUpgrade"] is not null)!["rawUpgrade"]!;
        raw["response"] = response;
        return steps;
    }
}
