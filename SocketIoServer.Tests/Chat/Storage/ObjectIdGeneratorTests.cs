using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

[TestFixture]
public sealed class ObjectIdGeneratorTests
{
    [Test]
    public void Ids_look_like_mongodb_object_ids_and_carry_the_seconds()
    {
        var time = new TestClock(DateTimeOffset.FromUnixTimeSeconds(0x65A1B2C3));
        var id = new ObjectIdGenerator(time).Next();
        Assert.That(ObjectIdGenerator.IsObjectId(id), Is.True, id);
        Assert.That(id[..8], Is.EqualTo("65a1b2c3"));
    }

    [Test]
    public async Task Ids_are_unique_across_threads_and_generators()
    {
        var time = new TestClock(DateTimeOffset.UnixEpoch);
        var one = new ObjectIdGenerator(time);
        var two = new ObjectIdGenerator(time);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Enumerable.Range(0, 5000).Select(_ => (i % 2 == 0 ? one : two).Next()).ToList())));
        Assert.That(ids.SelectMany(x => x).Distinct().Count(), Is.EqualTo(40_000));
    }

    [TestCase("65a1b2c3d4e5f60718293a4b", true)]
    [TestCase("65A1B2C3D4E5F60718293A4B", false)]
    [TestCase("65a1b2c3d4e5f60718293a4", false)]
    [TestCase("LOBBY", false)]
    [TestCase(null, false)]
    public void The_shape_check(string? value, bool expected) => Assert.That(ObjectIdGenerator.IsObjectId(value), Is.EqualTo(expected));
}
