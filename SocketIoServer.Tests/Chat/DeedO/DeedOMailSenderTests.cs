using SocketIoServer.Chat.Vocabularies.DeedO;

namespace SocketIoServer.Tests.Chat.DeedO;

/// <summary>The mail sender's address rule and retry schedule.</summary>
[TestFixture]
public sealed class DeedOMailSenderTests
{
    [TestCase("carol", "chat@deedo.test", "carol@deedo.test")]
    [TestCase("carol@example.org", "chat@deedo.test", "carol@example.org")]
    [TestCase("42", "Deed-O <noreply@mail.deedo.test>", "42@mail.deedo.test")]
    [TestCase("carol", "no-at-sign", "carol@localhost")]
    public void AddressOf_UsesTheUserIdOrTheSendersDomain(string userId, string from, string expected) =>
        Assert.That(DeedOMailSender.AddressOf(userId, from), Is.EqualTo(expected));

    [Test]
    public void Backoff_GrowsAndStaysHourly()
    {
        var waits = Enumerable.Range(1, 7).Select(DeedOMailSender.Backoff).ToList();
        Assert.That(waits, Is.Ordered);
        Assert.That(waits[0], Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(waits[^1], Is.EqualTo(TimeSpan.FromHours(1)));
    }
}
