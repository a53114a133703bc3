using static SocketIoServer.Tests.Chat.Task5.Task5TestKit;

namespace SocketIoServer.Tests.Chat.Task5;

/// <summary>Seed 001's typing indicators: to the others only, members only, and their ends (stop, 5 s, message, leave, disconnect).</summary>
public sealed partial class Task5VocabularyTests
{
    [Test]
    public async Task Typing_GoesToTheOthers_AndNonMembersAreSilentlyIgnored()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice", "Alice A.");
        await using var bob = await ConnectAsync(server, "bob");
        await using var carol = await ConnectAsync(server, "carol");

        await carol.EmitAsync("typing-start", roomId);
        await carol.EmitAsync("typing-start", 17);
        await alice.EmitAsync("typing-start", roomId);
        await alice.EmitAsync("typing-stop", roomId);
        var typing = await bob.Events.WaitAsync("user-typing");
        Assert.That(typing.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"roomId":"{{roomId}}","userId":"alice","username":"Alice A."}"""));
        var stopped = await bob.Events.WaitAsync("user-stopped-typing");
        Assert.That(stopped.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"roomId":"{{roomId}}","userId":"alice"}"""));

        await SendAsync(alice, roomId, "barrier");
        await bob.Events.WaitAsync("new-message");
        Assert.That(bob.Events.Named("user-typing").Select(e => e.Str("userId")), Is.EqualTo(new[] { "alice" }), "carol's typing was ignored");
        Assert.That(alice.Events.Count("user-typing") + alice.Events.Count("user-stopped-typing"), Is.Zero, "the typist does not hear itself");
        Assert.That(carol.Connected, Is.True);
    }

    [Test]
    public async Task Typing_StopsByItself_FiveSecondsAfterTheLastStart()
    {
        var clock = new SocketIoServer.Tests.Support.ManualTimeProvider();
        await using var server = await StartAsync(_store, b =>
            Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<TimeProvider>(b.Services, clock));
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        await alice.EmitAsync("typing-start", roomId);
        await bob.Events.WaitAsync("user-typing");
        clock.Advance(TimeSpan.FromSeconds(3));
        await alice.EmitAsync("typing-start", roomId); // typing on: the 5 s count again from here
        await bob.Events.WaitCountAsync("user-typing", 2);
        clock.Advance(TimeSpan.FromSeconds(4.9));
        await AckAsync(alice, "update-presence", new { status = "online" }); // a barrier after whatever the clock set off
        await bob.Events.WaitAsync("presence-update");
        Assert.That(bob.Events.Count("user-stopped-typing"), Is.Zero, "4.9 s after the last start");

        clock.Advance(TimeSpan.FromSeconds(0.1));
        var stopped = await bob.Events.WaitAsync("user-stopped-typing");
        Assert.That(stopped.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"roomId":"{{roomId}}","userId":"alice"}"""));
        clock.Advance(TimeSpan.FromSeconds(10));
        await AckAsync(alice, "update-presence", new { status = "away" });
        await bob.Events.WaitCountAsync("presence-update", 2);
        Assert.That(bob.Events.Count("user-stopped-typing"), Is.EqualTo(1), "one automatic stop, not one per start");

        // an explicit stop cancels the automatic one
        await alice.EmitAsync("typing-start", roomId);
        await alice.EmitAsync("typing-stop", roomId);
        await bob.Events.WaitCountAsync("user-stopped-typing", 2);
        clock.Advance(TimeSpan.FromSeconds(6));
        await AckAsync(alice, "update-presence", new { status = "busy" });
        await bob.Events.WaitCountAsync("presence-update", 3);
        Assert.That(bob.Events.Count("user-stopped-typing"), Is.EqualTo(2));
    }

    [Test]
    public async Task Typing_StopsWhenTheTypistDisconnects()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "group", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        var alice = await ConnectAsync(server, "alice");

        await alice.EmitAsync("typing-start", roomId);
        await bob.Events.WaitAsync("user-typing");
        await alice.DisposeAsync();
        var stopped = await bob.Events.WaitAsync("user-stopped-typing");
        Assert.That(stopped.Args[0]!.ToJsonString(), Is.EqualTo($$"""{"roomId":"{{roomId}}","userId":"alice"}"""));
    }

    [Test]
    public async Task Typing_StopsWhenTheTypistLeavesTheRoom()
    {
        await using var server = await StartAsync(_store);
        var roomId = await server.CreateChatAsync("alice", "group", "bob");
        await using var bob = await ConnectAsync(server, "bob");
        await using var alice = await ConnectAsync(server, "alice");

        await alice.EmitAsync("typing-start", new { roomId });
        await bob.Events.WaitAsync("user-typing");
        AssertSuccess(await AckAsync(alice, "leave-room", roomId));
        await bob.Events.WaitAsync("user-left");
        Assert.That(bob.Events.Named("user-stopped-typing").Select(e => e.Args[0]!.ToJsonString()),
            Is.EqualTo(new[] { $$"""{"roomId":"{{roomId}}","userId":"alice"}""" }), "the stop comes before user-left");
    }
}
