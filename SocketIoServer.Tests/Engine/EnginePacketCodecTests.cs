using System.Text;
using SocketIoServer.Engine;

namespace SocketIoServer.Tests.Engine;

[TestFixture]
public sealed class EnginePacketCodecTests
{
    private static List<(EnginePacketType Type, string Data, bool Binary)> Decode(string payload, out bool ok)
    {
        var packets = new List<(EnginePacketType, string, bool)>();
        ok = EnginePacketCodec.DecodePayload(Encoding.UTF8.GetBytes(payload), packets, static (list, p) =>
        {
            list.Add((p.Type, p.IsBinary ? Convert.ToBase64String(p.Data) : Encoding.UTF8.GetString(p.Data), p.IsBinary));
            return true;
        });
        return packets;
    }

    [Test]
    public void A_payload_splits_on_the_record_separator()
    {
        var packets = Decode("4hello\u001e2\u001ebAQIDBA==\u001e4", out var ok);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[]
        {
            (EnginePacketType.Message, "hello", false),
            (EnginePacketType.Ping, "", false),
            (EnginePacketType.Message, "AQIDBA==", true),
            (EnginePacketType.Message, "", false),
        }));
    }

    [TestCase("")]
    [TestCase("x")]
    [TestCase("4a\u001e")]
    [TestCase("7")]
    public void Malformed_payloads_are_rejected(string payload)
    {
        Decode(payload, out var ok);
        Assert.That(ok, Is.False);
    }

    [Test]
    public void Frames_are_joined_into_a_payload()
    {
        OutboundFrame[] frames = [OutboundFrame.Message("hé"), OutboundFrame.Binary(new byte[] { 1, 2, 3, 4 }), OutboundFrame.Text("2"u8.ToArray())];
        var buffer = new byte[EnginePacketCodec.PayloadLength(frames)];
        var written = EnginePacketCodec.WritePayload(frames, buffer);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, written), Is.EqualTo("4hé\u001ebAQIDBA==\u001e2"));
    }
}
