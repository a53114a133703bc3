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

    [TestCase("--redis-streams")]
    public void Flags_not_built_yet_are_still_refused(string flag)
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse([flag]));
        Assert.That(error!.Message, Does.Contain("not available in this build yet"));
    }
}
