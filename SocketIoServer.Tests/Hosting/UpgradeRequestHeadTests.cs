using System.Buffers;
using System.Text;
using SocketIoServer.Hosting.Connections;

namespace SocketIoServer.Tests.Hosting;

/// <summary>The connection-level parser takes only plain WebSocket upgrades and leaves every other request to Kestrel.</summary>
public sealed class UpgradeRequestHeadTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Upgrade(string target = "/socket.io/?EIO=4&transport=websocket", string extra = "") =>
        $"GET {target} HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n";

    private static UpgradeRequestHead.Verdict Parse(string text, out UpgradeRequestHead? head) =>
        UpgradeRequestHead.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), out head);

    [Test]
    public void A_plain_upgrade_is_parsed_with_path_query_and_headers()
    {
        var text = Upgrade(extra: "Origin: https://app.example\r\n") + "leftover";
        Assert.That(Parse(text, out var head), Is.EqualTo(UpgradeRequestHead.Verdict.Upgrade));
        Assert.That(head!.Path, Is.EqualTo("/socket.io/"));
        Assert.That(head.QueryString, Is.EqualTo("?EIO=4&transport=websocket"));
        Assert.That(head.WebSocketKey, Is.EqualTo(Key));
        Assert.That(head.Headers, Does.Contain(new KeyValuePair<string, string>("Origin", "https://app.example")));
        Assert.That(head.Length, Is.EqualTo(text.Length - "leftover".Length));
    }

    [Test]
    public void A_head_split_over_several_reads_needs_more_until_complete()
    {
        var bytes = Encoding.ASCII.GetBytes(Upgrade());
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var verdict = UpgradeRequestHead.TryParse(new ReadOnlySequence<byte>(bytes, 0, cut), out _);
            Assert.That(verdict, Is.EqualTo(UpgradeRequestHead.Verdict.NeedMore), $"cut at {cut}");
        }
    }

    [Test]
    public void A_head_spread_over_buffer_segments_is_parsed()
    {
        var bytes = Encoding.ASCII.GetBytes(Upgrade());
        var first = new Segment(bytes.AsMemory(0, 7));
        var last = first.Append(bytes.AsMemory(7));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.That(UpgradeRequestHead.TryParse(sequence, out var head), Is.EqualTo(UpgradeRequestHead.Verdict.Upgrade));
        Assert.That(head!.Path, Is.EqualTo("/socket.io/"));
    }

    [TestCase("POST /socket.io/?EIO=4 HTTP/1.1\r\nHost: a\r\n\r\n", TestName = "A POST is not ours")]
    [TestCase("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", TestName = "An HTTP/2 preface is not ours")]
    [TestCase("GET /socket.io/ HTTP/1.1\r\nHost: a\r\n\r\n", TestName = "A GET without upgrade headers is not ours")]
    [TestCase("GET /socket.io/ HTTP/1.0\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", TestName = "HTTP 1.0 is not ours")]
    [TestCase("GET http://a/socket.io/ HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", TestName = "An absolute target is not ours")]
    public void Other_requests_are_left_to_Kestrel(string text)
    {
        Assert.That(Parse(text, out _), Is.EqualTo(UpgradeRequestHead.Verdict.NotMine));
    }

    [TestCase("/socket%2Eio/?EIO=4", "", TestName = "A percent-encoded path is left to Kestrel")]
    [TestCase("/socket.io/", "X-Folded: a\r\n b\r\n", TestName = "A folded header is left to Kestrel")]
    [TestCase("/socket.io/", "X-Latin: caf\u00e9\r\n", TestName = "A non-ASCII header value is left to Kestrel")]
    [TestCase("/socket.io/", "Content-Length: 3\r\n", TestName = "A request with a body is left to Kestrel")]
    [TestCase("/socket.io/", "Bad Name: x\r\n", TestName = "An invalid header name is left to Kestrel")]
    public void Unusual_upgrades_are_left_to_Kestrel(string target, string extra)
    {
        Assert.That(Parse(Upgrade(target, extra), out _), Is.EqualTo(UpgradeRequestHead.Verdict.NotMine));
    }

    [TestCase("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8", TestName = "Another WebSocket version is left to Kestrel")]
    [TestCase("Sec-WebSocket-Key: " + Key, "Sec-WebSocket-Key: short", TestName = "An invalid key is left to Kestrel")]
    [TestCase("Host: example.com\r\n", "", TestName = "A request without Host is left to Kestrel")]
    [TestCase("Upgrade: websocket", "Upgrade: h2c", TestName = "Another upgrade is left to Kestrel")]
    public void Incomplete_upgrades_are_left_to_Kestrel(string replace, string with)
    {
        Assert.That(Parse(Upgrade().Replace(replace, with, StringComparison.Ordinal), out _), Is.EqualTo(UpgradeRequestHead.Verdict.NotMine));
    }

    [Test]
    public void A_head_longer_than_the_limit_is_left_to_Kestrel()
    {
        var text = Upgrade(extra: "X-Big: " + new string('a', UpgradeRequestHead.MaxLength) + "\r\n");
        Assert.That(Parse(text, out _), Is.EqualTo(UpgradeRequestHead.Verdict.NotMine));
        Assert.That(Parse(text[..(UpgradeRequestHead.MaxLength + 10)], out _), Is.EqualTo(UpgradeRequestHead.Verdict.NotMine));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
