using SocketIoServer.Chat.Core;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Chat.Core;

/// <summary>Seed 002's sliding window: 10 messages per 10 s per user (manual clock).</summary>
[TestFixture]
public sealed class SlidingWindowRateLimiterTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Test]
    public void TheEleventhInTenSeconds_IsRefused_TheFirstAfterTheWindow_Accepted()
    {
        var clock = new ManualTimeProvider();
        var limiter = new SlidingWindowRateLimiter(10, 10 * Second, clock);
        for (var i = 0; i < 10; i++)
        {
            Assert.That(limiter.TryAcquire("u1"), Is.True, $"message {i + 1}");
            clock.Advance(0.5 * Second);
        }
        Assert.That(limiter.TryAcquire("u1"), Is.False, "the 11th within 10 s");
        Assert.That(limiter.TryAcquire("u2"), Is.True, "another user has their own window");

        clock.AdvanceTo(10 * Second - TimeSpan.FromTicks(1));
        Assert.That(limiter.TryAcquire("u1"), Is.False, "the first message is still inside the window");
        clock.AdvanceTo(10 * Second);
        Assert.That(limiter.TryAcquire("u1"), Is.True, "the first message left the window");
        Assert.That(limiter.TryAcquire("u1"), Is.False, "the second has not yet");
    }

    [Test]
    public void RefusedAttempts_DoNotCount()
    {
        var clock = new ManualTimeProvider();
        var limiter = new SlidingWindowRateLimiter(2, 10 * Second, clock);
        Assert.That(limiter.TryAcquire("u"), Is.True);
        Assert.That(limiter.TryAcquire("u"), Is.True);
        for (var i = 0; i < 100; i++) Assert.That(limiter.TryAcquire("u"), Is.False);
        clock.Advance(10 * Second);
        Assert.That(limiter.TryAcquire("u"), Is.True, "hammering while limited does not extend the wait");
    }

    [Test]
    public void ConcurrentCallers_NeverGetMoreThanTheLimit()
    {
        var limiter = new SlidingWindowRateLimiter(10, TimeSpan.FromHours(1));
        var accepted = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (limiter.TryAcquire("u")) Interlocked.Increment(ref accepted);
        });
        Assert.That(accepted, Is.EqualTo(10));
    }
}
