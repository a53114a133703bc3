namespace SocketIoServer.Tests.Golden;

/// <summary>
/// Replays every case Node.js socket.io 4.8 answered live (protocol-fixtures/server-responses.json) against our
/// server, one test per case, named by the case. See <see cref="GoldenReplayer"/> for what is compared and
/// <see cref="GoldenDeviations"/> for where ours deliberately differs.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GoldenReplayTests
{
    private GoldenServer _server = null!;

    public static IEnumerable<TestCaseData> Cases() =>
        GoldenCase.Cases.Select(c => new TestCaseData(c.Name).SetName(c.Name).SetDescription(c.Description));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await GoldenServer.StartAsync();
        await WarmUpAsync();
    }

    /// <summary>
    /// JIT-compiles the client and server paths (raw HTTP, polling, WebSocket upgrade) before the first case:
    /// with pingInterval 300 / pingTimeout 200, a first upgrade slowed down by the JIT on a loaded machine could
    /// otherwise miss a ping sent over polling while nobody polls, and lose the session.
    /// </summary>
    private async Task WarmUpAsync()
    {
        try
        {
            await WarmUpOnceAsync();
        }
        catch (Exception ex)
        {
            // best effort: a warm-up that lost its session under load has still compiled the code paths
            await TestContext.Out.WriteLineAsync("warm-up: " + ex.Message);
        }
    }

    private async Task WarmUpOnceAsync()
    {
        var timeout = TimeSpan.FromSeconds(10);
        var open = await GoldenHttp.SendAsync(_server.Port, "GET", "/socket.io/?EIO=4&transport=polling", [], null, timeout);
        var sid = System.Text.Json.JsonDocument.Parse(open.Body.AsMemory(1)).RootElement.GetProperty("sid").GetString();
        await using (var ws = await GoldenWebSocket.ConnectAsync(_server.Port, $"/socket.io/?EIO=4&transport=websocket&sid={sid}", autoPong: true))
        {
            await ws.SendIgnoringCloseAsync("2probe");
            await ws.NextAsync(timeout);
            await ws.SendIgnoringCloseAsync("5");
            await ws.SendIgnoringCloseAsync("40");
            await ws.NextAsync(timeout);
            await ws.NextAsync(timeout);
            await ws.ClientCloseAsync(timeout);
        }
        await using (var ws = await GoldenWebSocket.ConnectAsync(_server.Port, "/socket.io/?EIO=4&transport=websocket", autoPong: true))
        {
            await ws.NextAsync(timeout);
            await ws.ClientCloseAsync(timeout);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(nameof(Cases))]
    public async Task Replay(string caseName)
    {
        var golden = GoldenCase.Get(caseName);
        if (GoldenDeviations.ByCase.TryGetValue(caseName, out var deviation))
            TestContext.Out.WriteLine($"Deliberate deviation: {deviation.Title}. {deviation.Reason}");
        await new GoldenReplayer(_server, caseName, GoldenDeviations.StepsFor(golden)).RunAsync();
    }

    [Test]
    public void The_fixture_holds_every_recorded_case() =>
        Assert.That(GoldenCase.Cases.Select(c => c.Name).Distinct().Count(), Is.EqualTo(57));

    [Test]
    public void Every_deviation_names_a_recorded_case() =>
        Assert.That(GoldenDeviations.ByCase.Keys, Is.SubsetOf(GoldenCase.Cases.Select(c => c.Name)));
}
