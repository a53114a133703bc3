namespace SocketIoServer.Tests.Golden;

/// <summary>
/// Replays every Engine.IO v3 case Node.js socket.io 4.8 (allowEIO3) answered live
/// (protocol-fixtures/server-responses-eio3.json) against our server with the same options, one test per case,
/// compared as <see cref="GoldenReplayer"/> compares the v4 cases, with no deviation.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class GoldenEio3ReplayTests
{
    private GoldenServer _server = null!;

    public static IEnumerable<TestCaseData> Cases() =>
        GoldenCase.Eio3Cases.Select(c => new TestCaseData(c.Name).SetName(c.Name).SetDescription(c.Description));

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await GoldenServer.StartAsync(eio3: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCaseSource(nameof(Cases))]
    public async Task Replay(string caseName)
    {
        var golden = GoldenCase.Get(caseName);
        await new GoldenReplayer(_server, caseName, golden.Steps.DeepClone().AsArray()).RunAsync();
    }

    [Test]
    public void The_fixture_holds_every_recorded_v3_case() =>
        Assert.That(GoldenCase.Eio3Cases.Select(c => c.Name).Distinct().Count(), Is.EqualTo(10));
}
