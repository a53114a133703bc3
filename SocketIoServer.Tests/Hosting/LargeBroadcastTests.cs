using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Hosting;

/// <summary>
/// A broadcast to many receivers is queued on all of them first and written afterwards on the thread pool, several
/// queued frames per write: each receiver must still get every message once, in order, and a direct emit after a
/// broadcast must not overtake it.
/// </summary>
public sealed class LargeBroadcastTests : FixtureTestBase
{
    private const int Receivers = 40; // above the inline threshold (32)
    private const int Messages = 30;

    [Test]
    public async Task Every_receiver_gets_every_broadcast_once_in_order()
    {
        var port = new Uri(Server.Url).Port;
        var clients = new List<RawFrameClient>();
        try
        {
            for (var i = 0; i < Receivers; i++) clients.Add(await JoinAsync(port));
            var sender = clients[0];
            for (var n = 0; n < Messages; n++) await sender.SendTextAsync($"42[\"room-broadcast\",\"big\",{{\"n\":{n}}}]");
            // the sender's own next message goes after its broadcasts: an echo through message-back
            await sender.SendTextAsync("42[\"message\",\"after\"]");

            foreach (var client in clients)
                for (var n = 0; n < Messages; n++)
                    Assert.That(await client.ReadTextSkippingPingsAsync(), Is.EqualTo($"42[\"room-broadcast\",{{\"n\":{n}}}]"));
            Assert.That(await sender.ReadTextSkippingPingsAsync(), Is.EqualTo("42[\"message-back\",\"after\"]"));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    private static async Task<RawFrameClient> JoinAsync(int port)
    {
        var client = await RawFrameClient.ConnectAsync(port);
        Assert.That(await client.UpgradeAsync("/socket.io/?EIO=4&transport=websocket"), Does.StartWith("HTTP/1.1 101 "));
        Assert.That(await client.ReadTextSkippingPingsAsync(), Does.StartWith("0{"));
        await client.SendTextAsync("40");
        Assert.That(await client.ReadTextSkippingPingsAsync(), Does.StartWith("40{"));
        Assert.That(await client.ReadTextSkippingPingsAsync(), Does.StartWith("42[\"auth\""));
        await client.SendTextAsync("421[\"join-room\",\"big\"]");
        Assert.That(await client.ReadTextSkippingPingsAsync(), Is.EqualTo("431[\"big\"]"));
        return client;
    }
}
