using SocketIoServer.Chat.Core;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Chat.Core;

/// <summary>Seed 002's presence: online while any device is connected, at most one broadcast per user per 2 s.</summary>
[TestFixture]
public sealed class PresenceTrackerTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private static (PresenceTracker Tracker, List<(string User, bool Online)> Reports) Create(ManualTimeProvider clock)
    {
        var tracker = new PresenceTracker(2000 * Ms, clock);
        var reports = new List<(string, bool)>();
        tracker.Changed += (user, online, _) => reports.Add((user, online));
        return (tracker, reports);
    }

    [Test]
    public void TwoDevices_OfflineOnlyAfterBothLeave()
    {
        var clock = new ManualTimeProvider();
        var (tracker, reports) = Create(clock);
        tracker.Connected("u", "phone");
        clock.Advance(3000 * Ms);
        tracker.Connected("u", "laptop");
        clock.Advance(3000 * Ms);
        tracker.Disconnected("u", "phone");
        Assert.That(tracker.IsOnline("u"), Is.True);
        clock.Advance(3000 * Ms);
        tracker.Disconnected("u", "laptop");
        Assert.That(tracker.IsOnline("u"), Is.False);
        Assert.That(reports, Is.EqualTo(new[] { ("u", true), ("u", false) }));
    }

    [Test]
    public void AStorm_YieldsAtMostOneBroadcastPerTwoSeconds_AndTheLastWordIsTheTruth()
    {
        var clock = new ManualTimeProvider();
        var (tracker, reports) = Create(clock);
        for (var i = 0; i < 50; i++)
        {
            tracker.Connected("u", "s" + i);
            clock.Advance(10 * Ms);
            tracker.Disconnected("u", "s" + i);
            clock.Advance(10 * Ms);
        }
        Assert.That(reports, Is.EqualTo(new[] { ("u", true) }), "one broadcast during the first second of the storm");
        clock.Advance(2000 * Ms);
        Assert.That(reports, Is.EqualTo(new[] { ("u", true), ("u", false) }), "then the final status, once the quiet period ended");
        clock.Advance(10_000 * Ms);
        Assert.That(reports, Has.Count.EqualTo(2));
    }

    [Test]
    public void AChangeUndoneWithinTheQuietPeriod_IsNotReported()
    {
        var clock = new ManualTimeProvider();
        var (tracker, reports) = Create(clock);
        tracker.Connected("u", "a");
        clock.Advance(100 * Ms);
        tracker.Disconnected("u", "a");
        clock.Advance(100 * Ms);
        tracker.Connected("u", "b");
        clock.Advance(5000 * Ms);
        Assert.That(reports, Is.EqualTo(new[] { ("u", true) }), "online → offline → online within 2 s: still online, nothing more to say");
    }

    [Test]
    public void Users_AreThrottledSeparately()
    {
        var clock = new ManualTimeProvider();
        var (tracker, reports) = Create(clock);
        tracker.Connected("a", "1");
        tracker.Connected("b", "2");
        Assert.That(reports, Is.EqualTo(new[] { ("a", true), ("b", true) }));
    }

    [Test]
    public void UnknownSockets_AndDuplicates_ChangeNothing()
    {
        var clock = new ManualTimeProvider();
        var (tracker, reports) = Create(clock);
        tracker.Disconnected("u", "never-connected");
        tracker.Connected("u", "s");
        tracker.Connected("u", "s");
        tracker.Disconnected("u", "other");
        Assert.That(tracker.IsOnline("u"), Is.True);
        Assert.That(reports, Is.EqualTo(new[] { ("u", true) }));
    }

    [Test]
    public void ManyUsersComingAndGoing_AreForgottenOnceSettled_AndStillThrottledRight()
    {
        var clock = new ManualTimeProvider();
        var (tracker, reports) = Create(clock);
        for (var i = 0; i < 5000; i++)
        {
            tracker.Connected("u" + i, "s");
            tracker.Disconnected("u" + i, "s");
        }
        clock.Advance(3000 * Ms); // the offline reports go out at the end of each user's quiet period
        clock.Advance(3000 * Ms); // and those quiet periods are over too
        tracker.Connected("late", "s"); // the 4097th entry makes room by dropping settled users
        Assert.Multiple(() =>
        {
            Assert.That(tracker.IsOnline("late"), Is.True);
            Assert.That(tracker.IsOnline("u0"), Is.False);
            Assert.That(reports.Count(r => r.User == "u0"), Is.EqualTo(2), "online, then (after the quiet period) offline");
        });
        tracker.Connected("u0", "again");
        Assert.That(reports[^1], Is.EqualTo(("u0", true)), "a forgotten user is reported again when back");
    }
}
