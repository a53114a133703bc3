using SocketIoServer.Server;
using SocketIoServer.Server.Recovery;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.Recovery;

/// <summary>The in-memory record of sessions and events behind connection state recovery (pure, manual clock).</summary>
[TestFixture]
public sealed class RecoveryLogTests
{
    private static readonly ConnectionStateRecoveryOptions Options = new() { MaxDisconnectionDuration = TimeSpan.FromMinutes(2) };

    private static PersistedSession Session(string pid = "pid-1", params string[] rooms) =>
        new("sid-1", pid, ["sid-1", .. rooms], new Dictionary<string, object?> { ["name"] = "alice" });

    private static string Offset(BroadcastPacket packet) => (string)packet.Args[^1]!;

    private static BroadcastOptions To(params string[] rooms) => new() { Rooms = new HashSet<string>(rooms) };

    [Test]
    public void Append_AddsAnOffsetAsTheLastArgument_UniqueAndIncreasing()
    {
        using var log = new RecoveryLog(Options, new ManualTimeProvider());
        var first = log.Append(new BroadcastPacket("/", "e", [1, "two"]), BroadcastOptions.All);
        var second = log.Append(new BroadcastPacket("/", "e", []), BroadcastOptions.All);

        Assert.Multiple(() =>
        {
            Assert.That(first.Args, Has.Count.EqualTo(3));
            Assert.That(first.Args[0], Is.EqualTo(1));
            Assert.That(first.Args[1], Is.EqualTo("two"));
            Assert.That(first.Args[2], Is.TypeOf<string>());
            Assert.That(Offset(second), Is.Not.EqualTo(Offset(first)));
            Assert.That(first.EventName, Is.EqualTo("e"));
        });
    }

    [Test]
    public void Restore_ReturnsTheEventsAfterTheOffset_ThatReachTheSessionsRooms_InOrder()
    {
        var clock = new ManualTimeProvider();
        using var log = new RecoveryLog(Options, clock);
        var seen = log.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);
        log.Persist(Session("pid-1", "room-a"));
        log.Append(new BroadcastPacket("/", "everyone", []), BroadcastOptions.All);
        log.Append(new BroadcastPacket("/", "room-a", []), To("room-a"));
        log.Append(new BroadcastPacket("/", "room-b", []), To("room-b"));
        log.Append(new BroadcastPacket("/", "except-a", []), BroadcastOptions.All with { Except = new HashSet<string> { "room-a" } });
        log.Append(new BroadcastPacket("/", "to-me", []), To("sid-1"));
        log.Append(new BroadcastPacket("/", "a-or-b", []), To("room-b", "room-a"));

        var restored = log.Restore("pid-1", Offset(seen));

        Assert.That(restored, Is.Not.Null);
        Assert.That(restored!.MissedPackets.Select(p => p.EventName), Is.EqualTo(new[] { "everyone", "room-a", "to-me", "a-or-b" }));
        Assert.That(restored.Session.Data["name"], Is.EqualTo("alice"));
        Assert.That(restored.Position, Is.EqualTo(log.LastSequence));
    }

    [Test]
    public void Restore_GivesASessionBackOnce()
    {
        using var log = new RecoveryLog(Options, new ManualTimeProvider());
        var seen = log.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);
        log.Persist(Session());

        Assert.That(log.Restore("pid-1", Offset(seen)), Is.Not.Null);
        Assert.That(log.Restore("pid-1", Offset(seen)), Is.Null, "a replayed pid gets a fresh session");
    }

    [Test]
    public void Restore_RefusesUnknownPids_ForeignOrMalformedOffsets()
    {
        using var log = new RecoveryLog(Options, new ManualTimeProvider());
        using var other = new RecoveryLog(Options, new ManualTimeProvider());
        var seen = log.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);
        var foreign = other.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);

        foreach (var offset in new[] { Offset(foreign), "", "abc", Offset(seen) + "0", Offset(seen).Split('-')[0] + "--1" })
        {
            log.Persist(Session());
            Assert.That(log.Restore("pid-1", offset), Is.Null, offset);
        }
        Assert.That(log.Restore("no-such-pid", Offset(seen)), Is.Null);
    }

    [Test]
    public void Restore_AfterMaxDisconnectionDuration_GivesNothing()
    {
        var clock = new ManualTimeProvider();
        using var log = new RecoveryLog(Options, clock);
        var seen = log.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);
        log.Persist(Session());
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(1));

        Assert.That(log.Restore("pid-1", Offset(seen)), Is.Null);
    }

    [Test]
    public void Restore_JustBeforeTheLimit_Succeeds()
    {
        var clock = new ManualTimeProvider();
        using var log = new RecoveryLog(Options, clock);
        var seen = log.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);
        log.Persist(Session());
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.That(log.Restore("pid-1", Offset(seen)), Is.Not.Null);
    }

    [Test]
    public void Cleanup_DropsExpiredPacketsAndSessions_EveryMinute()
    {
        var clock = new ManualTimeProvider();
        using var log = new RecoveryLog(Options, clock);
        var old = log.Append(new BroadcastPacket("/", "old", []), BroadcastOptions.All);
        clock.Advance(TimeSpan.FromMinutes(2));
        var recent = log.Append(new BroadcastPacket("/", "recent", []), BroadcastOptions.All);
        log.Persist(Session());
        clock.Advance(TimeSpan.FromMinutes(1)); // the cleanup runs: "old" is 3 minutes old now

        Assert.That(log.Restore("pid-1", Offset(old)), Is.Null, "an offset whose packet was dropped is too old");
        log.Persist(Session());
        var restored = log.Restore("pid-1", Offset(recent));
        Assert.That(restored, Is.Not.Null);
        Assert.That(restored!.MissedPackets, Is.Empty);
    }

    [Test]
    public void StoredSince_ReturnsWhatCameAfterARestore()
    {
        using var log = new RecoveryLog(Options, new ManualTimeProvider());
        var seen = log.Append(new BroadcastPacket("/", "seen", []), BroadcastOptions.All);
        log.Persist(Session("pid-1", "room-a"));
        var restored = log.Restore("pid-1", Offset(seen))!;
        log.Append(new BroadcastPacket("/", "late", []), To("room-a"));
        log.Append(new BroadcastPacket("/", "elsewhere", []), To("room-b"));

        Assert.That(log.StoredSince(restored.Position, restored.Session.Rooms).Select(p => p.EventName), Is.EqualTo(new[] { "late" }));
    }
}
