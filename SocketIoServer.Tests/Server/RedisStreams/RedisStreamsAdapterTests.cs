using SocketIoServer.Tests.Server.Redis;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// The streams adapter's own details (what every cluster adapter does is in <see cref="ClusterAdapterContractTests"/>):
/// with recovery on, an event read from the stream carries its entry id as offset, a volatile one none.
/// </summary>
[TestFixture]
public sealed class RedisStreamsAdapterTests
{
    [Test]
    public async Task StoredEventsCarryTheirStreamOffset_VolatileOnesNone()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key);
        await using var b = await StreamsTestNode.StartAsync(key);
        await using var onB = await b.ClientAsync("r", "news");

        await a.Io.Volatile.EmitAsync("news", "volatile");
        await a.Io.EmitAsync("news", "stored");
        await onB.Events.WaitAsync("news", e => e.Args[0]!.ToString() == "stored");
        var received = onB.Events.Named("news");
        Assert.Multiple(() =>
        {
            Assert.That(received.Single(e => e.Args[0]!.ToString() == "volatile").Args, Has.Count.EqualTo(1), "a volatile event carries no offset");
            Assert.That(received.Single(e => e.Args[0]!.ToString() == "stored").Args[1]!.ToString(), Does.Match("^[0-9]+-[0-9]+$"),
                "a stored event carries its stream entry id as offset");
        });
    }
}
