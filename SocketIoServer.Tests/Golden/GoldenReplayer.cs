using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SocketIoServer.Tests.Golden;

/// <summary>
/// Replays one recorded case against our server, step by step, in the recorded order, and compares what our
/// server answers with what Node answered.
/// <para>What is compared, and what not:</para>
/// <list type="bullet">
/// <item>HTTP: status, body (placeholders matched against the ids our server handed out), and every response
/// header exactly (names case-insensitive, values exact: content-type, access-control-*, vary, cache-control...),
/// except <c>date</c>, <c>connection</c> and <c>keep-alive</c>, which the fixture dropped (Node's HTTP server sets
/// them, not socket.io). The framing headers are compared as framing: where Node sent <c>content-length</c>
/// ours must send the same value and no <c>transfer-encoding</c>; where Node streamed the body chunked (its JSON
/// and empty error responses), ours sends <c>content-length</c> instead (deviation <see cref="GoldenDeviations.ContentLengthOnErrors"/>).
/// A 204 is not checked for <c>content-length: 0</c> (Kestrel omits it, as RFC 9110 asks).</item>
/// <item>WebSocket: every frame exactly (text or binary), in order; a frame the fixture does not list fails the
/// case at the next receive or at the close. Close: that the server closed (or not); the close code only where
/// it carries meaning (1009 message too big). 1005 (no status) vs 1000 is not protocol, and not compared.</item>
/// <item>Raw upgrades: every response the server wrote on the TCP connection, compared like HTTP responses,
/// and that the server closed the connection.</item>
/// <item>Timing: the frame sequence, never the exact times; waits are 1.5 times the recorded ones.</item>
/// </list>
/// <para>Server pings: the recording client answered WebSocket pings automatically and did not record them,
/// except in the heartbeat cases; over polling the recorded cases were short enough to see no ping. On a busy
/// machine ours may ping during a polling case, so outside <see cref="CasesRecordingPings"/> a ping "2" in a GET
/// payload is answered with a POST "3" (not a recorded step) and removed before comparing.</para>
/// </summary>
public sealed class GoldenReplayer
{
    /// <summary>The generator's SETTLE_MS: the pause before a poll, so that packets emitted together are in one payload.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(40);

    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Cases whose recording shows the server's pings (the generator answered none of them automatically).</summary>
    public static readonly IReadOnlySet<string> CasesRecordingPings = new HashSet<string>
    {
        "polling heartbeat and ping timeout",
        "polling connect timeout",
        "websocket heartbeat and ping timeout",
        "v3 polling ping timeout", // its GET waits for the timeout (a v3 server never pings)
    };

    /// <summary>
    /// Requests the generator started before earlier steps (a GET left pending while other steps ran) and recorded
    /// when they completed: step index, and the index of the step it was started before (live.mjs: rec.start).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Step, int StartedBefore)[]> PendingRequests =
        new Dictionary<string, (int, int)[]>
        {
            ["polling overlapping GET"] = [(2, 1)],
            ["upgrade from polling to websocket"] = [(4, 1)],
            ["upgrade with socket.io packets buffered during the upgrade"] = [(6, 3)],
            ["v3 upgrade from polling to websocket"] = [(5, 2)],
        };

    /// <summary>The socket.io-client case does not record the open packet; it is this one (as in every WebSocket case).</summary>
    private const string WebSocketOpenPacket =
        "0{\"sid\":\"<sid>\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}";

    private const string OversizedDescription = "\"4\" followed by 1000000 'a' (1000001 bytes)";

    private readonly GoldenServer _server;
    private readonly string _name;
    private readonly JsonArray _steps;
    private readonly bool _recordsPings;
    private readonly GoldenIds _ids = new();
    private readonly Dictionary<int, Task<RawHttpResponse>> _pending = [];
    private GoldenWebSocket? _ws;
    private string _context = "";
    private bool _finishedEarly;

    public GoldenReplayer(GoldenServer server, string name, JsonArray steps)
    {
        _server = server;
        _name = name;
        _steps = steps;
        _recordsPings = CasesRecordingPings.Contains(name);
    }

    public async Task RunAsync()
    {
        try
        {
            var pending = PendingRequests.GetValueOrDefault(_name) ?? [];
            for (var i = 0; i < _steps.Count && !_finishedEarly; i++)
            {
                foreach (var (step, _) in pending.Where(p => p.StartedBefore == i))
                {
                    var http = _steps[step]!["http"] ?? throw new InvalidOperationException($"step {step} is not an HTTP step");
                    _pending[step] = SendHttpAsync(http["request"]!);
                    await Task.Delay(Settle);
                }
                var obj = _steps[i]!.AsObject();
                var (kind, body) = obj.Single();
                _context = $"[{_name}] step {i} {kind} {Summary(body)}";
                await RunStepAsync(i, kind, body!);
            }
        }
        finally
        {
            if (_ws is not null) await _ws.DisposeAsync();
        }
    }

    private static string Summary(JsonNode? body)
    {
        var text = body?.ToJsonString() ?? "";
        return text.Length > 160 ? text[..160] + "..." : text;
    }

    private async Task RunStepAsync(int index, string kind, JsonNode step)
    {
        switch (kind)
        {
            case "http":
                await HttpStepAsync(index, step);
                break;
            case "wsOpen":
                if (step["refused"] is not null) throw new NotSupportedException("refused wsOpen steps are not in the fixture");
                Assert.That(_ws, Is.Null, _context + ": one WebSocket per case");
                _ws = await GoldenWebSocket.ConnectAsync(_server.Port, GoldenJson.Fill((string)step["path"]!, _ids), autoPong: !_recordsPings);
                break;
            case "wsSend":
            case "c2s":
                await EnsureClientCaseSocketAsync(kind);
                await Ws.SendIgnoringCloseAsync(FrameToSend(step));
                break;
            case "wsRecv":
            case "s2c":
                await EnsureClientCaseSocketAsync(kind);
                await ReceiveAsync(step);
                break;
            case "wsClose":
                await ServerCloseAsync(step);
                break;
            case "wsClientClose":
                await ClientCloseAsync();
                break;
            case "closed":
                await ClientCaseClosedAsync((string)step!);
                break;
            case "wait":
                var ms = (int)step["ms"]!;
                await Task.Delay(ms + ms / 2);
                break;
            case "rawUpgrade":
                await RawUpgradeAsync(step);
                break;
            default:
                throw new NotSupportedException($"{_context}: unknown step kind");
        }
    }

    private GoldenWebSocket Ws => _ws ?? throw new InvalidOperationException(_context + ": no WebSocket open");

    private static void Verify(Action checks)
    {
        using (Assert.EnterMultipleScope()) checks();
    }

    // ------------------------------------------------------------------ HTTP

    private Task<RawHttpResponse> SendHttpAsync(JsonNode request)
    {
        var method = (string)request["method"]!;
        var path = GoldenJson.Fill((string)request["path"]!, _ids);
        var headers = request["headers"]?.AsObject().Select(h => new KeyValuePair<string, string>(h.Key, (string)h.Value!)).ToList() ?? [];
        byte[]? body = null;
        if (request["body"] is { } b)
        {
            body = GoldenJson.Value(b) switch
            {
                string s => Encoding.UTF8.GetBytes(s),
                byte[] bytes => bytes,
                _ => throw new InvalidOperationException("bad body"),
            };
        }
        else if (request["bodyDescription"] is { } d)
        {
            if ((string)d! != OversizedDescription) throw new NotSupportedException("unknown body description " + d);
            body = Encoding.ASCII.GetBytes("4" + new string('a', 1_000_000));
        }
        return GoldenHttp.SendAsync(_server.Port, method, path, headers, body, HttpTimeout);
    }

    private static bool IsPollWithSid(JsonNode request) =>
        (string)request["method"]! == "GET" && ((string)request["path"]!).Contains("transport=polling", StringComparison.Ordinal)
        && ((string)request["path"]!).Contains("sid=", StringComparison.Ordinal);

    private async Task HttpStepAsync(int index, JsonNode step)
    {
        var request = step["request"]!;
        var expected = step["response"]!;
        RawHttpResponse response;
        if (_pending.Remove(index, out var started))
        {
            response = await started;
        }
        else
        {
            // live.mjs polls with poll() (SETTLE_MS first) except in the heartbeat cases, which GET at once (rec.http)
            if (IsPollWithSid(request) && !_recordsPings) await Task.Delay(Settle);
            response = await SendHttpAsync(request);
        }

        var body = GoldenJson.FromBody(response.Body);
        if (_name == "polling connect timeout" && body is "6\u001e1" && GoldenJson.Value(expected["body"]) is "2")
        {
            // Three 300 ms ping rounds must fit in the 1000 ms connectTimeout; on a loaded machine the round trips
            // take longer and the timeout (correctly) comes first, with the close Node.js sends to a later poll.
            Assert.That((await SendHttpAsync(request)).Status, Is.EqualTo(400), _context + ": session gone after the timeout");
            _finishedEarly = true;
            return;
        }
        var pingsRemoved = false;
        // Pings ours sent during a case that did not record any: answered and removed (see the class comment).
        while (!_recordsPings && IsPollWithSid(request) && response.Status == 200 && body is string payload
               && GoldenJson.Value(expected["body"]) is string expectedPayload && !expectedPayload.Split('\u001e').Contains("2"))
        {
            var packets = payload.Split('\u001e').ToList();
            if (packets.RemoveAll(p => p == "2") == 0) break;
            pingsRemoved = true;
            var pong = new JsonObject
            {
                ["method"] = "POST",
                ["path"] = request["path"]!.GetValue<string>(),
                ["headers"] = new JsonObject { ["Content-Type"] = "text/plain;charset=UTF-8" },
                ["body"] = "3",
            };
            await SendHttpAsync(pong);
            if (packets.Count > 0 || expectedPayload.Length == 0)
            {
                body = string.Join('\u001e', packets);
                break;
            }
            // the GET returned only a ping: poll again for the payload the fixture shows
            await Task.Delay(Settle);
            response = await SendHttpAsync(request);
            body = GoldenJson.FromBody(response.Body);
        }

        Verify(() =>
        {
            Assert.That(response.Status, Is.EqualTo((int)expected["status"]!), _context + ": status");
            CompareBody(expected["body"], body, _context + ": body");
            var expectedHeaders = expected["headers"]!.AsObject().ToDictionary(h => h.Key, h => (string)h.Value!);
            CompareHeaders(expectedHeaders, response, pingsRemoved, _context);
        });
    }

    private void CompareBody(JsonNode? expectedNode, object actual, string what)
    {
        switch (GoldenJson.Value(expectedNode))
        {
            case string template:
                if (actual is not string text)
                {
                    Assert.Fail($"{what}: expected text {GoldenJson.Show(template)}, got {GoldenJson.Show(actual)}");
                    return;
                }
                if (!GoldenJson.Match(template, text, _ids, out var rendered))
                    Assert.That(text, Is.EqualTo(rendered), what);
                break;
            case byte[] bytes:
                Assert.That(actual, Is.EqualTo(bytes), what + " (binary)");
                break;
            default:
                throw new InvalidOperationException(what + ": unreadable expected value");
        }
    }

    /// <summary>Headers the fixture does not keep (Node's HTTP server sets them, not socket.io).</summary>
    private static readonly HashSet<string> DroppedHeaders = ["date", "connection", "keep-alive"];

    private static readonly HashSet<string> FramingHeaders = ["content-length", "transfer-encoding"];

    private static void CompareHeaders(IReadOnlyDictionary<string, string> expected, RawHttpResponse actual, bool bodyRewritten, string context)
    {
        var ours = actual.Headers.Select(h => h.Key).Distinct()
            .Where(n => !DroppedHeaders.Contains(n) && !FramingHeaders.Contains(n))
            .ToDictionary(n => n, n => actual.Header(n)!);
        var theirs = expected.Where(h => !DroppedHeaders.Contains(h.Key.ToLowerInvariant()) && !FramingHeaders.Contains(h.Key.ToLowerInvariant()))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);
        foreach (var name in theirs.Keys.Union(ours.Keys).Order(StringComparer.Ordinal))
        {
            Assert.That(ours.GetValueOrDefault(name), Is.EqualTo(theirs.GetValueOrDefault(name)),
                $"{context}: header '{name}' (null = absent)");
        }

        var lowered = expected.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);
        var ourLength = actual.Header("content-length");
        var ourEncoding = actual.Header("transfer-encoding");
        if (actual.Status == 204)
        {
            // Node's cors package sets "Content-Length: 0" on its 204; Kestrel never sends Content-Length on a 204
            // (RFC 9110 §8.6: a server MUST NOT). A 204 has no body either way: framing only, not compared.
            Assert.That(ourEncoding, Is.Null, context + ": transfer-encoding on a 204");
        }
        else if (lowered.TryGetValue("content-length", out var length))
        {
            Assert.That(ourEncoding, Is.Null, context + ": transfer-encoding (Node sent content-length)");
            Assert.That(ourLength, Is.EqualTo(bodyRewritten ? actual.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : length),
                context + ": content-length");
        }
        else if (lowered.TryGetValue("transfer-encoding", out var encoding) && encoding == "chunked")
        {
            // GoldenDeviations.ContentLengthOnErrors: ours gives the length instead of streaming the body chunked
            Assert.That(ourEncoding, Is.Null, context + ": transfer-encoding (" + GoldenDeviations.ContentLengthOnErrors + ")");
            Assert.That(ourLength, Is.EqualTo(actual.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                context + ": content-length (" + GoldenDeviations.ContentLengthOnErrors + ")");
        }
        else
        {
            Assert.That(ourLength, Is.Null, context + ": content-length (Node sent neither framing header)");
            Assert.That(ourEncoding, Is.Null, context + ": transfer-encoding (Node sent neither framing header)");
        }
    }

    // ------------------------------------------------------------------ WebSocket

    private static object FrameToSend(JsonNode step)
    {
        if (step is JsonObject o && o["description"] is { } d)
        {
            if ((string)d! != "text frame: " + OversizedDescription) throw new NotSupportedException("unknown frame description " + d);
            return "4" + new string('a', 1_000_000);
        }
        return GoldenJson.Value(step) ?? throw new InvalidOperationException("bad frame " + step.ToJsonString());
    }

    private async Task ReceiveAsync(JsonNode step)
    {
        var e = await Ws.NextAsync(FrameTimeout);
        Verify(() =>
        {
            if (e is null || e.IsClose)
            {
                Assert.Fail($"{_context}: expected frame {GoldenJson.Show(GoldenJson.Value(step))}, got {e?.ToString() ?? "nothing within " + FrameTimeout.TotalSeconds + " s"}");
                return;
            }
            CompareBody(step, e.Frame!, _context + ": frame");
        });
    }

    private async Task ServerCloseAsync(JsonNode step)
    {
        var e = await Ws.NextAsync(FrameTimeout);
        var expectedCode = (int)step["code"]!;
        Verify(() =>
        {
            if (e is null || !e.IsClose)
            {
                Assert.Fail($"{_context}: expected the server to close the WebSocket, got {e?.ToString() ?? "nothing within " + FrameTimeout.TotalSeconds + " s"}");
                return;
            }
            TestContext.Out.WriteLine($"{_context}: server closed: {e}");
            // only 1009 (message too big) says something; 1005 / 1000 are both a plain close
            if (expectedCode == 1009) Assert.That(e.CloseCode, Is.EqualTo(1009), _context + ": close code");
        });
    }

    private async Task ClientCloseAsync()
    {
        var (unexpected, close) = await Ws.ClientCloseAsync(FrameTimeout);
        Verify(() =>
        {
            Assert.That(unexpected.Select(u => u.ToString()), Is.Empty, _context + ": frames the fixture does not show before the close");
            Assert.That(close, Is.Not.Null, _context + ": the server answers the client's close");
        });
    }

    /// <summary>
    /// The socket.io-client case lists frames as the server saw them. It is replayed with a raw WebSocket client
    /// (WebSocket only, as the real client was configured), whose open packet the case does not show.
    /// </summary>
    private async Task EnsureClientCaseSocketAsync(string kind)
    {
        if (kind is not ("c2s" or "s2c") || _ws is not null) return;
        _ws = await GoldenWebSocket.ConnectAsync(_server.Port, "/socket.io/?EIO=4&transport=websocket", autoPong: true);
        var open = await _ws.NextAsync(FrameTimeout);
        Verify(() => CompareBody(JsonValue.Create(WebSocketOpenPacket), open?.Frame ?? "(nothing)", _context + ": open packet (not listed in the case)"));
    }

    /// <summary>
    /// "closed: transport close": the client closed the WebSocket. Our public API does not expose the engine.io
    /// close reason; what is checked is that the server answers the close and drops the session.
    /// </summary>
    private async Task ClientCaseClosedAsync(string reason)
    {
        Assert.That(reason, Is.EqualTo("transport close"), _context + ": only a client-side close is replayable");
        await ClientCloseAsync();
        var sid = _ids.Sid!;
        var deadline = DateTime.UtcNow + FrameTimeout;
        while (_server.Io.Engine.TryGetConnection(sid, out _) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.That(_server.Io.Engine.TryGetConnection(sid, out _), Is.False, _context + ": the session is closed");
    }

    // ------------------------------------------------------------------ raw upgrade

    private async Task RawUpgradeAsync(JsonNode step)
    {
        var request = step["request"]!;
        var expectedRaw = GoldenJson.Value(step["response"]) switch
        {
            string s => Encoding.UTF8.GetBytes(s),
            byte[] b => b,
            _ => throw new InvalidOperationException("bad raw response"),
        };
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _server.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder();
        head.Append("GET ").Append((string)request["path"]!).Append(" HTTP/1.1\r\n");
        head.Append("Host: 127.0.0.1:").Append(_server.Port).Append("\r\n");
        foreach (var (name, value) in request["headers"]!.AsObject()) head.Append(name).Append(": ").Append((string)value!).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var (raw, closed) = await GoldenHttp.ReadToEndAsync(stream, cts.Token, throwOnTimeout: false);

        var expected = GoldenHttp.Parse(expectedRaw);
        List<RawHttpResponse> actual;
        try
        {
            actual = GoldenHttp.Parse(raw);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            Assert.Fail($"{_context}: unreadable answer {GoldenJson.Show(Encoding.UTF8.GetString(raw))}: {ex.Message}");
            return;
        }
        Verify(() =>
        {
            Assert.That(actual.Select(r => r.Status), Is.EqualTo(expected.Select(r => r.Status)),
                $"{_context}: statuses of the responses written (ours: {GoldenJson.Show(Encoding.UTF8.GetString(raw))})");
            for (var i = 0; i < Math.Min(actual.Count, expected.Count); i++)
            {
                var context = $"{_context} response {i}";
                Assert.That(GoldenJson.FromBody(actual[i].Body), Is.EqualTo(GoldenJson.FromBody(expected[i].Body)), context + ": body");
                var expectedHeaders = expected[i].Headers.GroupBy(h => h.Key).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)));
                CompareHeaders(expectedHeaders, actual[i], false, context);
            }
            Assert.That(closed, Is.True, _context + ": the server closes the connection after refusing");
        });
    }
}
