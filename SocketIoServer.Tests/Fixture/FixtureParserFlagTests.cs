using SocketIoServer.Fixture;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;

namespace SocketIoServer.Tests.Fixture;

/// <summary>The fixture's <c>--parser</c> flag (CONTRACTS.md section 2).</summary>
[TestFixture]
public sealed class FixtureParserFlagTests
{
    [Test]
    public void The_default_is_the_JSON_parser() =>
        Assert.That(FixtureOptions.Parse([]).Parser, Is.SameAs(JsonPacketParser.Instance));

    [TestCase("msgpack", ExpectedResult = "msgpack")]
    [TestCase("default", ExpectedResult = "json")]
    [TestCase("json", ExpectedResult = "json")]
    public string Parser_names(string name) =>
        FixtureOptions.Parse(["--parser", name]).Parser == MsgPackPacketParser.Instance ? "msgpack" : "json";

    [TestCase("MessagePack")]
    [TestCase("")]
    public void An_unknown_parser_stops_start_up_naming_the_flag(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => FixtureOptions.Parse(["--parser", name]));
        Assert.That(ex!.Message, Is.EqualTo($"--parser: '{name}' is not a parser (msgpack, or default for JSON)"));
    }

    [Test]
    public void The_flag_needs_a_value() =>
        Assert.That(() => FixtureOptions.Parse(["--parser"]), Throws.ArgumentException.With.Message.EqualTo("--parser needs a value"));
}
