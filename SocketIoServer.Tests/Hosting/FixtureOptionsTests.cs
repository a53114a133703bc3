using SocketIoServer.Fixture;

namespace SocketIoServer.Tests.Hosting;

[TestFixture]
public sealed class FixtureOptionsTests
{
    [Test]
    public void Allow_eio3_turns_v3_clients_on()
    {
        Assert.That(FixtureOptions.Parse([]).AllowEio3, Is.False);
        Assert.That(FixtureOptions.Parse(["--allow-eio3", "--port", "0"]).AllowEio3, Is.True);
    }

    [Test]
    public void Redis_streams_takes_a_redis_url_and_not_with_redis()
    {
        Assert.That(FixtureOptions.Parse(["--redis-streams", "redis://127.0.0.1:6379"]).RedisStreamsUrl, Is.EqualTo("redis://127.0.0.1:6379"));
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--redis-streams", "redis://a", "--redis", "redis://a"]));
        Assert.That(error!.Message, Does.Contain("--redis and --redis-streams"));
    }
}
