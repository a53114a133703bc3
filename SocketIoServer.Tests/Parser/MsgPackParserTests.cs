using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Parser;

/// <summary>Hand-written cases of the msgpack parser; the golden files (MsgPackGoldenTests) cover Node's bytes.</summary>
[TestFixture]
public sealed class MsgPackParserTests
{
    private static readonly MsgPackPacketParser Parser = MsgPackPacketParser.Instance;

    private static string Hex(EncodedPacket packet) => Convert.ToHexStringLower(packet.Text.Span);

    private static SocketIoPacket Decode(byte[] message) => Parser.CreateDecoder(10).DecodeBinary(message)!;

    /// <summary>The data array of an EVENT encoded with <paramref name="args"/>, decoded again.</summary>
    private static JsonArray RoundTrip(params object?[] args) =>
        Decode(Parser.EncodeEvent("/", "e", args).Text.ToArray()).Data!.AsArray();

    private static byte[] Message(Action<MsgPackWriterHelper> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new MsgPackWriterHelper(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    [Test]
    public void An_event_is_one_binary_message_in_Nodes_key_order()
    {
        var packet = Parser.EncodeEvent("/", "m", [1, "a"]);
        Assert.That(packet.IsBinary, Is.True);
        Assert.That(packet.Attachments, Is.Empty);
        // {type: 2, data: ["m", 1, "a"], nsp: "/"}
        Assert.That(Hex(packet), Is.EqualTo("83a47479706502a46461746193a16d01a161a36e7370a12f"));
        // {type: 2, data: ["m"], id: 5, nsp: "/"}
        Assert.That(Hex(Parser.EncodeEvent("/", "m", [], 5)), Is.EqualTo("84a47479706502a46461746191a16da2696405a36e7370a12f"));
    }

    [Test]
    public void Objects_serialize_as_for_a_JSON_client_with_binary_kept_binary()
    {
        var poco = new
        {
            userName = "é", Count = 2, Blob = new byte[] { 1, 2 }, Segment = new ArraySegment<byte>([9, 3, 9], 1, 1),
            Memory = new Memory<byte>([4]),
        };
        var data = RoundTrip(poco, new List<int> { 1, 2 }, new Dictionary<string, object?> { ["k"] = null }, 2.5f, 7m, (short)-3, 'c');
        Assert.That(data[1]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "userName", "count", "blob", "segment", "memory" }));
        Assert.That(data[1]!["userName"]!.GetValue<string>(), Is.EqualTo("é"));
        Assert.That(data[1]!["blob"]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(data[1]!["segment"]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 3 }));
        Assert.That(data[1]!["memory"]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 4 }));
        Assert.That(data[2]!.ToJsonString(), Is.EqualTo("[1,2]"));
        Assert.That(data[3]!.ToJsonString(), Is.EqualTo("{\"k\":null}"));
        // a float is the number JSON would carry (2.5), a decimal 7, a char a string
        Assert.That(data[4]!.GetValue<double>(), Is.EqualTo(2.5));
        Assert.That(data[5]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(data[6]!.GetValue<int>(), Is.EqualTo(-3));
        Assert.That(data[7]!.GetValue<string>(), Is.EqualTo("c"));
    }

    [Test]
    public void Json_elements_and_nodes_are_written_as_they_are()
    {
        var element = JsonDocument.Parse("""{"a":[1,2.5,"x",true,null],"b":{}}""").RootElement;
        var node = new JsonObject { ["bin"] = JsonValue.Create(new byte[] { 7 }), ["n"] = 2.5e-300, ["big"] = 1e300 };
        var data = RoundTrip(element, node);
        Assert.That(data[1]!.ToJsonString(), Is.EqualTo("""{"a":[1,2.5,"x",true,null],"b":{}}"""));
        Assert.That(data[2]!["bin"]!.GetValue<byte[]>(), Is.EqualTo(new byte[] { 7 }));
        Assert.That(data[2]!["n"]!.GetValue<double>(), Is.EqualTo(2.5e-300));
        // a whole number of 2^64 or more is written as notepack writes it, its 32-bit words wrapped: 1e300 arrives as 0
        Assert.That(data[2]!["big"]!.GetValue<double>(), Is.EqualTo(0));
    }

    [Test]
    public void A_decoded_packet_re_encodes_to_the_same_bytes()
    {
        // {type: 2, data: ["m", bin(01 02), {a: [1.5, -7, "é"]}], id: 3, nsp: "/x"}
        var original = Parser.EncodeEvent("/x", "m", [new byte[] { 1, 2 }, new JsonObject { ["a"] = new JsonArray(1.5, -7, "é") }], 3);
        var decoded = Decode(original.Text.ToArray());
        Assert.That(decoded.Attachments, Is.EqualTo(1));
        var args = decoded.Data!.AsArray().Skip(1).ToArray<object?>();
        var again = Parser.EncodeEvent(decoded.Namespace, decoded.Data![0]!.GetValue<string>(), args, decoded.Id);
        Assert.That(Hex(again), Is.EqualTo(Hex(original)));
    }

    [Test]
    public void Decoded_numbers_behave_as_the_JSON_parsers()
    {
        // a client's integers and floats answer GetValue for every numeric type, as parsed JSON numbers do
        // ["m", 3, float64 3.0, float32 1.5, uint64 max]
        var data = Decode(Message(w => w.Event(a =>
        {
            a.Int(3);
            a.Raw("cb4008000000000000");
            a.Raw("ca3fc00000");
            a.Raw("cfffffffffffffffff");
        }, 4))).Data!;
        Assert.That(data[1]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(data[1]!.GetValue<double>(), Is.EqualTo(3.0));
        Assert.That(data[1]!.GetValue<long>(), Is.EqualTo(3L));
        Assert.That(data[2]!.GetValue<int>(), Is.EqualTo(3), "float64 3.0 is the integer 3 to JavaScript");
        Assert.That(data[3]!.GetValue<double>(), Is.EqualTo(1.5));
        Assert.That(data[3]!.GetValue<decimal>(), Is.EqualTo(1.5m));
        Assert.That(data[4]!.GetValue<ulong>(), Is.EqualTo(ulong.MaxValue), "exact, where JavaScript would round");
        Assert.That(data.ToJsonString(), Is.EqualTo("[\"m\",3,3,1.5,18446744073709551615]"));
    }

    [Test]
    public void Every_header_size_boundary_round_trips([Values(15, 16, 255, 256, 65535, 65536)] int size)
    {
        var text = new string('x', size);
        var bytes = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        var array = new JsonArray(Enumerable.Range(0, size).Select(_ => (JsonNode?)JsonValue.Create(0)).ToArray());
        var map = new JsonObject(Enumerable.Range(0, size).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)JsonValue.Create(i))));
        var packet = Parser.EncodeEvent("/", "e", [text, bytes, array, map]);
        var hex = Hex(packet);
        var mapHeader = size < 16 ? $"{0x80 | size:x2}" : size < 65536 ? $"de{size:x4}" : $"df{size:x8}";
        Assert.That(hex, Does.Contain(mapHeader + "a26b3000"), "map header, then k0: 0");
        var arrayHeader = size < 16 ? $"{0x90 | size:x2}" : size < 65536 ? $"dc{size:x4}" : $"dd{size:x8}";
        Assert.That(hex, Does.Contain(arrayHeader + "000000"), "array header, then 0, 0, 0");
        var binHeader = size < 256 ? $"c4{size:x2}" : size < 65536 ? $"c5{size:x4}" : $"c6{size:x8}";
        Assert.That(hex, Does.Contain(binHeader + "000102"), "bin header, then 00 01 02");
        var strHeader = size < 32 ? $"{0xa0 | size:x2}" : size < 256 ? $"d9{size:x2}" : size < 65536 ? $"da{size:x4}" : $"db{size:x8}";
        Assert.That(hex, Does.Contain(strHeader + "787878"), "str header, then xxx");
        var data = Decode(packet.Text.ToArray()).Data!.AsArray();
        Assert.That(data[1]!.GetValue<string>(), Is.EqualTo(text));
        Assert.That(data[2]!.GetValue<byte[]>(), Is.EqualTo(bytes));
        Assert.That(data[3]!.AsArray(), Has.Count.EqualTo(size));
        Assert.That(data[4]!.AsObject(), Has.Count.EqualTo(size));
        Assert.That(data[4]![$"k{size - 1}"]!.GetValue<int>(), Is.EqualTo(size - 1));
    }

    [Test]
    public void Ext_32_of_type_0_is_binary()
    {
        var payload = Enumerable.Repeat((byte)0xcd, 70_000).ToArray();
        var data = Decode(Message(w => w.Event(w2 => w2.Raw("c9" + 70_000.ToString("x8") + "00" + Convert.ToHexString(payload)), 1))).Data!;
        Assert.That(data[1]!.GetValue<byte[]>(), Is.EqualTo(payload));
    }

    [Test]
    public void Lone_surrogates_become_U_FFFD_as_Buffer_write_makes_them()
    {
        Assert.That(RoundTrip("a\ud800b", new { s = "\udc00" })[1]!.GetValue<string>(), Is.EqualTo("a\ufffdb"));
        Assert.That(RoundTrip(new { s = "\udc00" })[1]!["s"]!.GetValue<string>(), Is.EqualTo("\ufffd"));
        // an escaped one in JSON text (a user converter's raw output) too
        var buffer = new ArrayBufferWriter<byte>();
        JsonToMsgPack.Transcode("""["x\ud800y\n\u00e9"]"""u8, [], default, new JsonToMsgPack.Scratch(), new MsgPackWriter(buffer));
        Assert.That(Convert.ToHexStringLower(buffer.WrittenSpan), Is.EqualTo("91a878efbfbd790ac3a9"));
    }

    [Test]
    public void Nan_and_infinities_are_float64_as_notepack_writes_them_and_null_once_decoded()
    {
        var packet = Parser.EncodeEvent("/", "e", [double.NaN, double.PositiveInfinity, -0.0]);
        Assert.That(Hex(packet), Does.Contain("cb7ff8000000000000cb7ff000000000000000"));
        Assert.That(RoundTrip(double.NaN, double.NegativeInfinity).ToJsonString(), Is.EqualTo("[\"e\",null,null]"));
    }

    [Test]
    public void Connect_and_connect_error_payloads_get_the_keys_Node_always_writes()
    {
        // {sid, pid: undefined} and {message, data: undefined}; a payload that has them keeps its own
        Assert.That(Hex(Parser.EncodeObject(PacketType.Connect, "/", new { sid = "s" })), Does.Contain("82a3736964a173a3706964d40000"));
        Assert.That(Hex(Parser.EncodeObject(PacketType.Connect, "/", new { sid = "s", pid = "p" })), Does.Contain("82a3736964a173a3706964a170"));
        Assert.That(Hex(Parser.EncodeObject(PacketType.ConnectError, "/", new { message = "m" })), Does.Contain("82a76d657373616765a16da464617461d40000"));
        Assert.That(Hex(Parser.EncodeObject(PacketType.ConnectError, "/", "text")), Is.EqualTo("83a47479706504a464617461a474657874a36e7370a12f"));
    }

    [Test]
    public void Nesting_up_to_the_depth_limit_is_accepted_and_beyond_it_refused()
    {
        byte[] Nested(int depth) => Message(w =>
        {
            w.Raw("83a47479706502a464617461");
            w.Raw(string.Concat(Enumerable.Repeat("91", depth - 1)) + "90");
            w.Raw("a36e7370a12f");
        });
        Assert.That(Decode(Nested(SocketIoJson.MaxDepth)).Data, Is.Not.Null);
        var ex = Assert.Throws<PacketParseException>(() => Decode(Nested(SocketIoJson.MaxDepth + 1)));
        Assert.That(ex!.Message, Does.Contain("nested deeper"));
    }

    [Test]
    public void A_text_message_is_a_parse_error()
    {
        var ex = Assert.Throws<PacketParseException>(() => Parser.CreateDecoder(10).DecodeText("2[\"m\"]"u8));
        Assert.That(ex!.Message, Does.Contain("binary messages only"));
    }

    [Test]
    public void Random_bytes_only_ever_throw_PacketParseException()
    {
        var random = new Random(1234);
        var decoder = Parser.CreateDecoder(10);
        var seeds = GoldenFiles.Load("socketio-msgpack-packets.json")
            .Select(c => Convert.FromHexString(c!["encoded"]!.GetValue<string>())).Where(b => b.Length < 4096).ToArray();
        for (var i = 0; i < 200_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 64)];
                random.NextBytes(input);
                // mostly maps, so that decoding gets past the first byte
                if (input.Length > 0 && i % 4 == 0) input[0] = (byte)(0x80 | (input[0] & 0x0f));
            }
            else
            {
                // a real packet, mutated: flipped bytes, cut short or grown
                var seed = seeds[random.Next(seeds.Length)];
                input = seed.Length > 0 ? seed[..random.Next(1, seed.Length + 1)] : seed;
                input = input.ToArray();
                for (var m = random.Next(1, 4); m > 0 && input.Length > 0; m--) input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            try
            {
                decoder.DecodeBinary(input);
            }
            catch (PacketParseException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} for {Convert.ToHexString(input)}: {ex}");
            }
        }
    }

    [Test]
    public void Encoding_from_many_threads_gives_the_same_bytes()
    {
        var args = new object?[] { "x", new { a = new byte[] { 1, 2, 3 }, b = new[] { 1, 2 } }, 2.5 };
        var expected = Hex(Parser.EncodeEvent("/", "e", args, 1));
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = Hex(Parser.EncodeEvent("/", "e", args, 1)));
        Assert.That(results, Is.All.EqualTo(expected));
    }

    /// <summary>Writes test messages with the parser's own primitives, or raw hex.</summary>
    private readonly struct MsgPackWriterHelper(IBufferWriter<byte> output)
    {
        public void Raw(string hex) => output.Write(Convert.FromHexString(hex));

        public void Int(long value) => new MsgPackWriter(output).WriteInteger(value);

        /// <summary>{type: 2, data: ["m", ...], nsp: "/"} with <paramref name="count"/> arguments written by <paramref name="args"/>.</summary>
        public void Event(Action<MsgPackWriterHelper> args, int count)
        {
            Raw("83a47479706502a464617461");
            new MsgPackWriter(output).WriteArrayHeader(count + 1);
            Raw("a16d");
            args(this);
            Raw("a36e7370a12f");
        }
    }
}
