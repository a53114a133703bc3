using Microsoft.Data.Sqlite;
using SocketIoServer.Tests.Chat.Support;
using static SocketIoServer.Tests.Chat.Task5.Task5TestKit;

namespace SocketIoServer.Tests.Chat.Task5;

/// <summary>An unexpected failure (the store loses a table under the server) is the seed's catch-all answer, and the connection goes on.</summary>
[TestFixture]
public sealed class Task5StoreFailureTests
{
    [Test]
    public async Task AStoreFailure_IsTheSeedsFailedToAnswer_AndNothingIsBroadcast()
    {
        await using var server = await ChatTestServer.StartAsync();
        var roomId = await server.CreateChatAsync("alice", "dm", "bob");
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "chat.db")}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE read_marks; DROP TABLE read_cursors; DROP TABLE messages";
            await drop.ExecuteNonQueryAsync();
        }

        AssertSeedError(await AckAsync(alice, "send-message", new { roomId, content = "lost?" }), "Failed to send message");
        AssertSeedError(await AckAsync(alice, "mark-read", new List<string> { "0123456789abcdef01234567" }), "Failed to mark messages as read");
        Assert.That((await AckAsync(alice, "update-presence", new { status = "away" })).ToJsonString(), Is.EqualTo("""{"success":true}"""));
        await bob.Events.WaitAsync("presence-update");
        Assert.That(bob.Events.Count("new-message"), Is.Zero, "nothing broadcast that was not stored");
    }
}
