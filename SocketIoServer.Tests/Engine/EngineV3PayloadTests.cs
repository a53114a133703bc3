using System.Text;
using SocketIoServer.Engine;

namespace SocketIoServer.Tests.Engine;

/// <summary>
/// The Engine.IO v3 payload codec against what Node.js's engine.io 6 (<c>parser-v3</c>) writes and accepts, each
/// good case beside the bad ones: text payloads with UTF-16 lengths, binary payloads with byte-valued digits,
/// base64 packets, and v3 WebSocket messages.
/// </summary>
[TestFixture]
public sealed class EngineV3PayloadTests
{
    private static OutboundFrame Text(string packet) => OutboundFrame.Text(Encoding.UTF8.GetBytes(packet));

    private static OutboundFrame Bin(params byte[] data) => OutboundFrame.Binary(data);

    private static string WriteText(params OutboundFrame[] frames)
    {
        var buffer = new byte[EngineV3PayloadWriter.MaxTextLength(frames)];
        return Encoding.UTF8.GetString(buffer, 0, EngineV3PayloadWriter.WriteText(frames, buffer));
    }

    private static byte[] WriteBinary(params OutboundFrame[] frames)
    {
        var buffer = new byte[EngineV3PayloadWriter.BinaryLength(frames)];
        var written = EngineV3PayloadWriter.WriteBinary(frames, buffer);
        Assert.That(written, Is.EqualTo(buffer.Length), "BinaryLength is exact");
        return buffer;
    }

    /// <summary>Decoded packets as "type:text" or "type:b:base64" strings, and whether the input was accepted.</summary>
    private static (bool Ok, List<string> Packets) Read(Func<List<string>, EnginePacketCodec.PacketCallback<List<string>>, bool> decode)
    {
        var packets = new List<string>();
        var ok = decode(packets, static (list, p) =>
        {
            var type = (char)p.Type;
            list.Add(p.IsBinary ? $"{type}:b:{Convert.ToBase64String(p.Data)}" : $"{type}:{Encoding.UTF8.GetString(p.Data)}");
            return p.Type != EnginePacketType.Close; // as the engine: a close packet stops the payload
        });
        return (ok, packets);
    }

    private static (bool Ok, List<string> Packets) ReadText(string payload) =>
        ReadText(Encoding.UTF8.GetBytes(payload));

    private static (bool Ok, List<string> Packets) ReadText(byte[] payload) =>
        Read((list, cb) => EngineV3PayloadReader.DecodeText(payload, list, cb));

    private static (bool Ok, List<string> Packets) ReadBinary(byte[] payload) =>
        Read((list, cb) => EngineV3PayloadReader.DecodeBinary(payload, list, cb));

    // ------------------------------------------------------------------ writing text payloads

    [Test]
    public void Text_payload_lengths_count_UTF16_code_units_not_bytes()
    {
        // "é" is 2 bytes and 1 unit; "😀" is 4 bytes and 2 units (a surrogate pair); "中" 3 bytes and 1 unit
        Assert.That(WriteText(Text("4hello"), Text("4é😀中"), Text("2")), Is.EqualTo("6:4hello5:4é😀中1:2"));
    }

    [Test]
    public void Binary_packets_in_a_text_payload_are_b4_and_base64()
    {
        Assert.That(WriteText(Text("40"), Bin(1, 2, 3, 4)), Is.EqualTo("2:4010:b4AQIDBA=="));
        Assert.That(WriteText(Bin()), Is.EqualTo("2:b4"));
    }

    [Test]
    public void No_frames_is_0_colon_as_Node()
    {
        Assert.That(WriteText(), Is.EqualTo("0:"));
    }

    [Test]
    public void A_client_that_takes_binary_gets_a_binary_payload_only_when_a_packet_is_binary()
    {
        Assert.That(EngineV3PayloadWriter.IsBinaryPayload([Text("4a"), Bin(1)], supportsBinary: true), Is.True);
        Assert.That(EngineV3PayloadWriter.IsBinaryPayload([Text("4a"), Text("4b")], supportsBinary: true), Is.False);
        Assert.That(EngineV3PayloadWriter.IsBinaryPayload([Text("4a"), Bin(1)], supportsBinary: false), Is.False, "b64=1");
    }

    // ------------------------------------------------------------------ writing binary payloads

    [Test]
    public void Binary_payload_entries_are_marker_digits_as_bytes_255_and_the_packet()
    {
        var payload = WriteBinary(Text("4é"), Bin(1, 2, 3));
        // text: 0, length 3 (bytes of "4é") as the byte 3, 255, the UTF-8 bytes
        // binary: 1, length 4 (type byte + 3) as the byte 4, 255, the type byte 4, the data
        Assert.That(payload, Is.EqualTo(new byte[] { 0, 3, 255, (byte)'4', 0xC3, 0xA9, 1, 4, 255, 4, 1, 2, 3 }));
    }

    [Test]
    public void Binary_payload_lengths_of_several_digits_are_one_byte_per_digit()
    {
        var data = new byte[1234];
        var payload = WriteBinary(Bin(data));
        Assert.That(payload[..7], Is.EqualTo(new byte[] { 1, 1, 2, 3, 5, 255, 4 })); // 1235 = type byte + 1234
        Assert.That(payload, Has.Length.EqualTo(7 + 1234));
        var text = WriteBinary(Text("4" + new string('x', 9)));
        Assert.That(text[..4], Is.EqualTo(new byte[] { 0, 1, 0, 255 })); // 10 bytes
    }

    // ------------------------------------------------------------------ WebSocket messages

    [Test]
    public void A_binary_WebSocket_message_starts_with_its_type_byte()
    {
        var frame = EngineV3PayloadWriter.ToWebSocketFrame(Bin(9, 8), supportsBinary: true);
        Assert.That(frame.IsBinary, Is.True);
        Assert.That(frame.Data.ToArray(), Is.EqualTo(new byte[] { 4, 9, 8 }));
        Assert.That(frame.Compress, Is.True);
    }

    [Test]
    public void A_b64_client_gets_binary_WebSocket_messages_as_b4_text_and_the_compress_flag_is_kept()
    {
        var frame = EngineV3PayloadWriter.ToWebSocketFrame(Bin(9, 8).WithoutCompression(), supportsBinary: false);
        Assert.That(frame.IsBinary, Is.False);
        Assert.That(Encoding.ASCII.GetString(frame.Data.Span), Is.EqualTo("b4CQg="));
        Assert.That(frame.Compress, Is.False);
    }

    [TestCase("4hello", true, "4:hello")]
    [TestCase("2probe", true, "2:probe")]
    [TestCase("b4AQID", true, "4:b:AQID")]
    [TestCase("b2AQID", true, "2:b:AQID")]
    [TestCase("b9AQID", true, "")] // not a packet type: ignored by Node.js, not an error
    [TestCase("b", true, "")]
    [TestCase("7", false, "")]
    [TestCase("x", false, "")]
    [TestCase("", false, "")]
    public void Text_WebSocket_messages(string message, bool ok, string packet)
    {
        var (accepted, packets) = Read((list, cb) => EngineV3PayloadReader.DecodeWebSocketMessage(Encoding.UTF8.GetBytes(message), false, list, cb));
        Assert.That(accepted, Is.EqualTo(ok));
        Assert.That(packets, Is.EqualTo(packet.Length == 0 ? Array.Empty<string>() : [packet]));
    }

    [TestCase(new byte[] { 4, 1, 2 }, "4:b:AQI=")]
    [TestCase(new byte[] { 4 }, "4:b:")]
    [TestCase(new byte[] { 2, 9 }, "2:b:CQ==")]
    [TestCase(new byte[] { 7, 1 }, "")] // unknown type byte: ignored
    [TestCase(new byte[0], "")]
    public void Binary_WebSocket_messages_carry_their_type_byte(byte[] message, string packet)
    {
        var (accepted, packets) = Read((list, cb) => EngineV3PayloadReader.DecodeWebSocketMessage(message, true, list, cb));
        Assert.That(accepted, Is.True);
        Assert.That(packets, Is.EqualTo(packet.Length == 0 ? Array.Empty<string>() : [packet]));
    }

    // ------------------------------------------------------------------ reading text payloads

    [Test]
    public void Text_payloads_split_by_UTF16_length()
    {
        var (ok, packets) = ReadText("6:4hello5:4é😀中1:21:3");
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:hello", "4:é😀中", "2:", "3:" }));
    }

    [Test]
    public void Base64_packets_in_a_text_payload_are_binary()
    {
        var (ok, packets) = ReadText("10:b4AQIDBA==2:4x");
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:b:AQIDBA==", "4:x" }));
    }

    [Test]
    public void A_zero_length_packet_is_skipped()
    {
        var (ok, packets) = ReadText("0:2:4a0:");
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:a" }));
    }

    [Test]
    public void A_close_packet_stops_the_payload()
    {
        var (ok, packets) = ReadText("2:4a1:12:4b");
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:a", "1:" }));
    }

    [Test]
    public void Invalid_UTF8_counts_as_one_unit_per_replacement_character_as_Node_decodes_the_body()
    {
        // "4" + 0xFF + "x": Node's body string is "4\uFFFDx", three units
        var payload = "3:4"u8.ToArray().Concat(new byte[] { 0xFF }).Concat("x2:4b"u8.ToArray()).ToArray();
        var (ok, packets) = ReadText(payload);
        Assert.That(ok, Is.True);
        Assert.That(packets, Has.Count.EqualTo(2));
        Assert.That(packets[1], Is.EqualTo("4:b"));
    }

    [TestCase(" 2:4a", TestName = "Length with white space")]
    [TestCase("+2:4a", TestName = "Length with a plus sign")]
    [TestCase("2.0:4a", TestName = "Length with a zero fraction")]
    [TestCase("2e0:4a", TestName = "Length with an exponent")]
    [TestCase("0x2:4a", TestName = "Length in hexadecimal")]
    [TestCase("0b10:4a", TestName = "Length in binary")]
    [TestCase("02:4a", TestName = "Length with a leading zero")]
    public void Lengths_are_read_as_JavaScript_Number_reads_them(string payload)
    {
        var (ok, packets) = ReadText(payload);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:a" }));
    }

    [Test]
    public void A_length_of_white_space_is_zero_as_Number_makes_it()
    {
        var (ok, packets) = ReadText(" :2:4a");
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:a" }));
    }

    [TestCase("", TestName = "Empty body")]
    [TestCase("2.5:4ab", TestName = "A length with a fraction")]
    [TestCase("Infinity:4a", TestName = "An infinite length")]
    [TestCase("0x:4a", TestName = "A hexadecimal prefix without digits")]
    [TestCase("0b2:4a", TestName = "A digit outside the radix")]
    [TestCase("1e:4a", TestName = "An exponent without digits")]
    [TestCase(":4a", TestName = "Empty length")]
    [TestCase("2", TestName = "A length without colon")]
    [TestCase("2:4a3", TestName = "Characters left after the last packet")]
    [TestCase("x:4a", TestName = "A length that is not a number")]
    [TestCase("-1:4a", TestName = "A negative length")]
    [TestCase("5:4a", TestName = "A length past the end")]
    [TestCase("99999999999:4a", TestName = "A length beyond any body")]
    [TestCase("2:4a2:9x", TestName = "An unknown packet type")]
    [TestCase("1:x", TestName = "A packet that is no packet")]
    [TestCase("2:4😀", TestName = "A length ending inside a surrogate pair")]
    [TestCase("1:😀", TestName = "A length of one unit over a surrogate pair")]
    public void Malformed_text_payloads_are_refused(string payload)
    {
        Assert.That(ReadText(payload).Ok, Is.False);
    }

    [Test]
    public void Packets_before_a_malformed_one_are_handed_over_as_Node_does()
    {
        var (ok, packets) = ReadText("2:4a3:4b");
        Assert.That(ok, Is.False);
        Assert.That(packets, Is.EqualTo(new[] { "4:a" }));
    }

    [TestCase("2:4ab1:")]
    [TestCase("6:4hello")]
    public void A_length_shorter_than_the_data_leaves_the_rest_to_be_read_as_a_length(string payload)
    {
        // "6:4hello" is fine; "2:4ab1:" reads "4a", then "b1" is not a length
        Assert.That(ReadText(payload).Ok, Is.EqualTo(payload == "6:4hello"));
    }

    // ------------------------------------------------------------------ reading binary payloads

    [Test]
    public void Binary_payloads_hold_text_and_binary_packets()
    {
        var payload = new byte[] { 0, 3, 255, (byte)'4', 0xC3, 0xA9, 1, 4, 255, 4, 1, 2, 3, 0, 1, 255, (byte)'2' };
        var (ok, packets) = ReadBinary(payload);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:é", "4:b:AQID", "2:" }));
    }

    [Test]
    public void What_the_writer_writes_the_reader_reads()
    {
        OutboundFrame[] frames = [Text("4hé😀"), Bin([.. Enumerable.Range(0, 256).Select(i => (byte)i)]), Text("40/chat,")];
        var (ok, packets) = ReadBinary(WriteBinary(frames));
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:hé😀", "4:b:" + Convert.ToBase64String([.. Enumerable.Range(0, 256).Select(i => (byte)i)]), "4:0/chat," }));

        var (textOk, textPackets) = ReadText(WriteText(frames));
        Assert.That(textOk, Is.True);
        Assert.That(textPackets, Is.EqualTo(packets));
    }

    [Test]
    public void A_base64_packet_inside_a_binary_payload_text_entry()
    {
        var (ok, packets) = ReadBinary([0, 6, 255, .. "b4AQID"u8]);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:b:AQID" }));
    }

    [Test]
    public void A_length_past_the_end_is_cut_short_as_Node_does()
    {
        // Node.js slices what is there rather than refusing the payload
        var (ok, packets) = ReadBinary([1, 9, 255, 4, 1, 2]);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:b:AQI=" }));
    }

    [Test]
    public void A_digit_byte_above_9_is_read_as_its_decimal_text_as_Node_does()
    {
        // the byte 12 reads "12": length 12, and Node.js then skips two bytes for it where one was read, so the
        // packet starts one byte late: after the 255 and the byte that follows it
        byte[] payload = [0, 12, 255, (byte)'x', .. "4abcdefghijk"u8];
        var (ok, packets) = ReadBinary(payload);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:abcdefghijk" }));
    }

    [Test]
    public void Unknown_binary_packet_types_are_ignored()
    {
        var (ok, packets) = ReadBinary([1, 2, 255, 9, 1, 0, 2, 255, (byte)'4', (byte)'a']);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:a" }));
    }

    [Test]
    public void A_length_string_over_310_characters_is_refused()
    {
        var digits = Enumerable.Repeat((byte)1, 312).ToArray();
        Assert.That(ReadBinary([0, .. digits, 255, (byte)'4']).Ok, Is.False);
        // 311 characters are still read (the bound is checked before each digit): "000…01" is 1
        var (ok, packets) = ReadBinary([1, .. Enumerable.Repeat((byte)0, 310), 1, 255, 4]);
        Assert.That(ok, Is.True);
        Assert.That(packets, Is.EqualTo(new[] { "4:b:" }));
    }

    [TestCase(new byte[] { 0, 1 }, TestName = "No 255 after the length")]
    [TestCase(new byte[] { 0 }, TestName = "A marker alone")]
    [TestCase(new byte[] { 0, 255, (byte)'4' }, TestName = "An empty length")]
    [TestCase(new byte[] { 0, 1, 255, (byte)'9' }, TestName = "An unknown text packet type")]
    [TestCase(new byte[] { 0, 0, 255 }, TestName = "An empty text packet")]
    [TestCase(new byte[] { 0, 2, 255, (byte)'4', 0xFF }, TestName = "Text that is not UTF-8")]
    public void Malformed_binary_payloads_are_refused(byte[] payload)
    {
        Assert.That(ReadBinary(payload).Ok, Is.False);
    }

    [Test]
    public void A_framing_error_hands_over_no_packet_at_all()
    {
        var (ok, packets) = ReadBinary([0, 2, 255, (byte)'4', (byte)'a', 0, 1]);
        Assert.That(ok, Is.False);
        Assert.That(packets, Is.Empty);
    }

    [Test]
    public void A_packet_error_hands_over_the_packets_before_it()
    {
        var (ok, packets) = ReadBinary([0, 2, 255, (byte)'4', (byte)'a', 0, 1, 255, (byte)'8']);
        Assert.That(ok, Is.False);
        Assert.That(packets, Is.EqualTo(new[] { "4:a" }));
    }
}
