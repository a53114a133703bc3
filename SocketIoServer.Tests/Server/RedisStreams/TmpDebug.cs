using SocketIoServer.Tests.Server.Redis;
namespace SocketIoServer.Tests.Server.RedisStreams;
[TestFixture]
public sealed class TmpDebug
{
    [Test]
    public async Task Dbg()
    {
        var key = RedisTestServer.NewKey();
        await using var a = await StreamsTestNode.StartAsync(key);
        await using var onA = await a.ClientAsync("r", "news");
        await a.Io.To("r").EmitAsync("news", 1);
        await Task.Delay(3000);
        foreach (var e in a.Log.Entries) TestContext.Progress.WriteLine(e.Level + " " + e.Message);
        TestContext.Progress.WriteLine("cursor " + a.Factory.Reader.Cursor);
    }
}
