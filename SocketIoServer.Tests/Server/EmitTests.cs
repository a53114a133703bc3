using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Interop;

namespace SocketIoServer.Tests.Server;

/// <summary>Events and acknowledgements both ways, with every kind of argument, over each transport.</summary>
[TestFixture]
public sealed class EmitTests
{
    private static readonly string LongText = new('x', 100_000);

    /// <summary>Argument lists (as .NET objects) the echo must return unchanged.</summary>
    private static readonly (string Name, object?[] Args)[] Payloads =
    [
        ("unicode and emoji", ["héllo wörld — ünïcödé ✓ 日本語 🎉👩‍👩‍👧 \u2028 \"quoted\" \\ / \t\n"]),
        ("nested objects", [new { a = new { b = new { c = new[] { 1, 2, 3 } } }, list = new object[] { "x", new { y = true } }, empty = new { } }]),
        ("null", [null]),
        ("null inside", [new object?[] { null, 1, null }]),
        ("numbers", [0, -42, 3.5, 9007199254740991L, -1e-7, int.MaxValue]),
        ("booleans", [true, false]),
        ("empty string and empty array", ["", Array.Empty<int>()]),
        ("many arguments", [1, "two", new[] { 3 }, new { four = 4 }, null, false]),
        ("long string", [LongText]),
    ];

    private static IEnumerable<TestCaseData> EchoCases() =>
        from transport in ClientTransports.All
        from payload in Payloads
        select new TestCaseData(transport, payload.Name).SetName($"Echo_ReturnsArgumentsUnchanged({transport}, {payload.Name})");

    private static JsonArray Expected(object?[] args) => JsonSerializer.SerializeToNode(args)!.AsArray();

    private static object?[] PayloadNamed(string name) => Payloads.Single(p => p.Name == name).Args;

    [TestCaseSource(nameof(EchoCases))]
    public async Task Echo_ReturnsArgumentsUnchanged(ClientTransport transport, string payloadName)
    {
        var args = PayloadNamed(payloadName);
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "message-back");

        await client.EmitAsync("message", args);
        var back = await client.Events.WaitAsync("message-back");
        Assert.That(JsonNode.DeepEquals(back.Args, Expected(args)), Is.True, back.ArgsJson);
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Echo_NoArguments(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "message-back");
        await client.EmitAsync("message");
        Assert.That((await client.Events.WaitAsync("message-back")).ArgsJson, Is.EqualTo("[]"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Events_KeepTheirOrder(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "message-back");
        for (var i = 0; i < 50; i++) await client.EmitAsync("message", i);
        var received = await client.Events.WaitCountAsync("message-back", 50);
        Assert.That(received.Select(e => e.Args[0]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(0, 50)));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ClientToServerAck_ReturnsTheArguments(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);

        var answer = await client.EmitWithAckAsync("message-with-ack", "ünï 🎉", 42, new { nested = new[] { 1.5 } }, null);
        ServerHelpers.AssertJson(answer.Args, """["ünï 🎉",42,{"nested":[1.5]},null]""");

        var empty = await client.EmitWithAckAsync("message-with-ack");
        Assert.That(empty.ArgsJson, Is.EqualTo("[]"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ClientToServerAck_ManyInFlight_EachAnsweredOnce(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var answers = new List<Task<ReceivedEvent>>();
        // sequential emits (the package's ack table is not thread-safe), answers awaited together
        for (var i = 0; i < 20; i++) answers.Add(client.EmitWithAckAsync("message-with-ack", i));
        var results = await Task.WhenAll(answers);
        Assert.That(results.Select(r => r.Args[0]!.GetValue<int>()), Is.EqualTo(Enumerable.Range(0, 20)));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerToClientAck_ClientAnswers(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = TestClient.Create(app.Url, transport).Record("ask");
        client.Socket.On("ask", r => _ = r.CallbackAsync("answer to " + r.GetValue<string>(0), 42));
        await client.ConnectAsync();

        var result = await client.AskAsync("server-ack", "question", 5000);
        Assert.That(result!.ToJsonString(), Is.EqualTo("""{"ok":true,"response":["answer to question",42]}"""));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerToClientAck_TimesOutWhenClientIsSilent(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "ask");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await client.AskAsync("server-ack", "anyone?", 300);
        Assert.That(result!.ToJsonString(), Is.EqualTo("""{"ok":false,"error":"timeout"}"""));
        Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That((await client.Events.WaitAsync("ask")).ArgsJson, Is.EqualTo("""["anyone?"]"""), "the question did arrive");

        // a late answer is ignored and the socket keeps working
        var ask = client.Events.Named("ask")[0];
        await ask.Response.CallbackAsync("too late").Within("late ack");
        Assert.That((await client.EmitWithAckAsync("message-with-ack", "still alive")).ArgsJson, Is.EqualTo("""["still alive"]"""));
        Assert.That(app.ServerSocket(client).IsConnected, Is.True);
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerToClientAck_FromCSharp_WithTimeout(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = TestClient.Create(app.Url, transport);
        client.Socket.On("question", r => _ = r.CallbackAsync(new { sum = r.GetValue<int>(0) + r.GetValue<int>(1) }));
        await client.ConnectAsync();
        var socket = app.ServerSocket(client);

        var answer = await socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", 2, 3).Within("server ack");
        Assert.That(answer.Single()!.ToJsonString(), Is.EqualTo("""{"sum":5}"""));

        var silent = socket.Timeout(TimeSpan.FromMilliseconds(200)).EmitWithAckAsync("unanswered", 1);
        Assert.ThrowsAsync<TimeoutException>(async () => await silent.Within("server ack timeout"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ServerToClientAck_WithoutTimeout_FailsWhenClientDisconnects(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var socket = app.ServerSocket(client);

        var pending = socket.EmitWithAckAsync("unanswered");
        await client.DisconnectAsync();
        var error = Assert.ThrowsAsync<SocketDisconnectedException>(async () => await pending.Within("the pending ack to fail"));
        Assert.That(error!.Reason, Is.EqualTo("client namespace disconnect"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task ReservedEventNames_CannotBeEmitted(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var socket = app.ServerSocket(client);
        foreach (var name in new[] { "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener" })
        {
            Assert.Throws<ArgumentException>(() => socket.Emit(name), name);
            Assert.Throws<ArgumentException>(() => app.Io.Emit(name), name);
        }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task OnAny_SeesEveryIncomingEvent_AfterTheSpecificHandlers_AndOffRemovesHandlers(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);
        var socket = app.ServerSocket(client);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        socket.On("custom", e => seen.Enqueue("custom:" + e.Args[0]!.ToJsonString()));
        socket.OnAny(e => seen.Enqueue("any:" + e.Name));

        await client.EmitAsync("custom", 1);
        await client.EmitAsync("unhandled", 2);
        await TestWait.UntilAsync(() => seen.Count >= 3, "the first two events to be handled");
        socket.Off("custom");
        await client.EmitAsync("custom", 3);
        await client.EmitWithAckAsync("message-with-ack"); // its OnAny handler runs just after the ack is sent
        await TestWait.UntilAsync(() => seen.Count >= 5, "five handler calls");
        Assert.That(seen, Is.EqualTo(new[] { "custom:1", "any:custom", "any:unhandled", "any:custom", "any:message-with-ack" }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task OnAnyOutgoing_SeesEveryEmittedEvent(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "out");
        var socket = app.ServerSocket(client);
        var outgoing = TestWait.Source<(string Name, string Args)>();
        socket.OnAnyOutgoing((name, args) => outgoing.TrySetResult((name, new JsonArray(args.Select(a => a?.DeepClone()).ToArray()).ToJsonString())));

        socket.Emit("out", 1, "two");
        Assert.That((await client.Events.WaitAsync("out")).ArgsJson, Is.EqualTo("""[1,"two"]"""));
        var (name, argsJson) = await outgoing.Task.Within("the onAnyOutgoing handler", TimeSpan.FromSeconds(2));
        Assert.That(name, Is.EqualTo("out"));
        Assert.That(argsJson, Is.EqualTo("""[1,"two"]"""));
    }

    // ---- binary ----

    private sealed class NestedBinary
    {
        [JsonPropertyName("nested")] public byte[]? Nested { get; set; }
        [JsonPropertyName("text")] public string? Text { get; set; }
    }

    private sealed class Envelope
    {
        [JsonPropertyName("label")] public string? Label { get; set; }
        [JsonPropertyName("data")] public byte[]? Data { get; set; }
        [JsonPropertyName("more")] public byte[][]? More { get; set; }
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Binary_FromServer_TopLevelAndNested(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "binary");

        await client.EmitAsync("binary-from-server");
        var binary = await client.Events.WaitAsync("binary");
        Assert.That(binary.Attachments, Has.Count.EqualTo(2));
        Assert.That(binary.Response.GetValue<byte[]>(0), Is.EqualTo(new byte[] { 1, 2, 3 }));
        var nested = binary.Response.GetValue<NestedBinary>(1);
        Assert.That(nested.Nested, Is.EqualTo(new byte[] { 4, 5 }));
        Assert.That(nested.Text, Is.EqualTo("t"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Binary_FromClient_EchoedBack(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "message-back");
        var received = TestWait.Source<(byte[]? Bytes, JsonNode? Second)>();
        app.ServerSocket(client).On("inspect", e => received.TrySetResult((e.Bytes(0), e.Args.ElementAtOrDefault(1))));

        var big = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        // no empty byte[]: SocketIOClient 3.0.6 sends a zero-length attachment as zero WebSocket frames (never arrives)
        var envelope = new Envelope { Label = "ünï", Data = [9, 8, 7], More = [[0], [0xff, 0x00]] };
        await client.EmitAsync("message", big, envelope, "text");

        var back = await client.Events.WaitAsync("message-back");
        Assert.That(back.Attachments, Has.Count.EqualTo(4));
        Assert.That(back.Response.GetValue<byte[]>(0), Is.EqualTo(big));
        var echoedEnvelope = back.Response.GetValue<Envelope>(1);
        Assert.Multiple(() =>
        {
            Assert.That(echoedEnvelope.Label, Is.EqualTo("ünï"));
            Assert.That(echoedEnvelope.Data, Is.EqualTo(new byte[] { 9, 8, 7 }));
            Assert.That(echoedEnvelope.More, Is.EqualTo(new[] { new byte[] { 0 }, new byte[] { 0xff, 0x00 } }));
            Assert.That(back.Response.GetValue<string>(2), Is.EqualTo("text"));
        });

        // what the server handler sees: byte[] values in place of the placeholders
        await client.EmitAsync("inspect", new byte[] { 1, 2 }, new Envelope { Label = "l", Data = [3] });
        var (bytes, second) = await received.Task.Within("the server handler");
        Assert.That(bytes, Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(second!["data"]!.AsValue().TryGetValue<byte[]>(out var data), Is.True, second.ToJsonString());
        Assert.That(data, Is.EqualTo(new byte[] { 3 }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Binary_InClientToServerAck(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport);

        var answer = await client.EmitWithAckAsync("message-with-ack", new byte[] { 10, 20, 30 }, new Envelope { Label = "x", Data = [40] });
        Assert.That(answer.Attachments, Has.Count.EqualTo(2));
        Assert.That(answer.Response.GetValue<byte[]>(0), Is.EqualTo(new byte[] { 10, 20, 30 }));
        Assert.That(answer.Response.GetValue<Envelope>(1).Data, Is.EqualTo(new byte[] { 40 }));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Binary_InServerToClientAck(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = TestClient.Create(app.Url, transport);
        client.Socket.On("give-bytes", r => _ = r.CallbackAsync(new byte[] { 5, 6, 7 }, new Envelope { Label = "n", Data = [8] }));
        await client.ConnectAsync();

        var answer = await app.ServerSocket(client).Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("give-bytes").Within("binary ack");
        Assert.That(answer, Has.Length.EqualTo(2));
        Assert.That(answer[0]!.AsValue().TryGetValue<byte[]>(out var first), Is.True, answer[0]?.ToJsonString());
        Assert.That(first, Is.EqualTo(new byte[] { 5, 6, 7 }));
        Assert.That(answer[1]!["data"]!.AsValue().TryGetValue<byte[]>(out var nested), Is.True);
        Assert.That(nested, Is.EqualTo(new byte[] { 8 }));
        Assert.That(answer[1]!["label"]!.GetValue<string>(), Is.EqualTo("n"));
    }

    [TestCaseSource(typeof(ClientTransports), nameof(ClientTransports.Both))]
    public async Task Binary_ServerEmitWithBytesInsideArrays(ClientTransport transport)
    {
        await using var app = await InteropApp.StartAsync();
        await using var client = await TestClient.ConnectAsync(app.Url, transport, record: "blobs");
        app.ServerSocket(client).Emit("blobs", new object[] { new byte[] { 1 }, new { inner = new byte[] { 2, 2 } } }, new byte[0]);

        var blobs = await client.Events.WaitAsync("blobs");
        Assert.That(blobs.Attachments, Has.Count.EqualTo(3));
        Assert.That(blobs.Attachments.Select(a => a.Length).Order(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(blobs.Response.GetValue<byte[]>(1), Is.Empty);
    }
}
