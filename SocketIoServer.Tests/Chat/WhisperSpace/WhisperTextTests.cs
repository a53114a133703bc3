using SocketIoServer.Chat.Vocabularies.WhisperSpace;

namespace SocketIoServer.Tests.Chat.WhisperSpace;

/// <summary>
/// Seed 000's sanitizing and normalizing, case by case; each expected value is what the seed's own JavaScript
/// (its four <c>replace</c> calls, <c>trim()</c>) gives for the input under Node.js.
/// </summary>
[TestFixture]
public sealed class WhisperTextTests
{
    [TestCase("<script>alert(1)</script>hello", "hello", TestName = "a script element goes")]
    [TestCase("<SCRIPT type=\"x\">a<b>c</SCRIPT>ok", "ok", TestName = "script in capitals with markup inside goes")]
    [TestCase("x<script>a</script>y<script>b</script>z", "xyz", TestName = "every script element goes")]
    [TestCase("<script>unclosed", "<script>unclosed", TestName = "an unclosed script stays")]
    [TestCase("<scripts>x</scripts>", "<scripts>x</scripts>", TestName = "a longer tag name is no script")]
    [TestCase("a<iframe src=\"x\"></iframe>b", "ab", TestName = "an iframe element goes")]
    [TestCase("<a href=\"javascript:alert(1)\">x</a>", "<a href=\"alert(1)\">x</a>", TestName = "javascript: goes")]
    [TestCase("JaVaScRiPt:void(0)", "void(0)", TestName = "javascript: in any case goes")]
    [TestCase("<img src=x onerror=alert(1)>", "<img src=x alert(1)>", TestName = "an on-handler attribute goes")]
    [TestCase("<div onClick \t= \"x\">", "<div  \"x\">", TestName = "an on-handler with white space before = goes")]
    [TestCase("onload\uFEFF=1", "1", TestName = "JavaScript's white space includes U+FEFF")]
    [TestCase("Bonjour=1", "B1", TestName = "the seed's on-rule also takes words that merely contain on")]
    [TestCase("café=1 onü=2", "café=1 onü=2", TestName = "non-ASCII letters are no word characters")]
    [TestCase("plain text", "plain text", TestName = "plain text stays")]
    public void Sanitize_AsTheSeedsReplaceCalls(string input, string expected) =>
        Assert.That(WhisperText.Sanitize(input), Is.EqualTo(expected));

    [TestCase("  abc  ", "ABC")]
    [TestCase("\uFEFFroom\u3000", "ROOM")]
    [TestCase("\u0085x", "\u0085X")] // NEL is not JavaScript white space
    [TestCase("", "")]
    [TestCase(null, "")]
    public void NormalizeRoomCode_TrimsAsJavaScriptAndUpperCases(string? code, string expected) =>
        Assert.That(WhisperText.NormalizeRoomCode(code), Is.EqualTo(expected));
}
