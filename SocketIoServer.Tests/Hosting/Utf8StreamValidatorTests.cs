using System.Text;
using SocketIoServer.Hosting.Connections;

namespace SocketIoServer.Tests.Hosting;

/// <summary>UTF-8 checked piece by piece, as text frames arrive (RFC 6455 §8.1).</summary>
public sealed class Utf8StreamValidatorTests
{
    private static bool Validate(byte[] bytes, params int[] cuts)
    {
        var validator = new Utf8StreamValidator();
        var start = 0;
        foreach (var cut in cuts.Append(bytes.Length))
        {
            if (!validator.Append(bytes.AsSpan(start, cut - start))) return false;
            start = cut;
        }
        return validator.Complete();
    }

    [Test]
    public void Valid_text_passes_however_it_is_cut()
    {
        var bytes = Encoding.UTF8.GetBytes("aé€😀z\u0800\uFFFD");
        for (var a = 0; a <= bytes.Length; a++)
            for (var b = a; b <= bytes.Length; b++)
                Assert.That(Validate(bytes, a, b), Is.True, $"cuts {a},{b}");
    }

    [TestCase(new byte[] { 0xC3, 0x28 }, TestName = "A lead byte without its continuation fails")]
    [TestCase(new byte[] { 0x80 }, TestName = "A lone continuation byte fails")]
    [TestCase(new byte[] { 0xC0, 0xAF }, TestName = "An overlong encoding fails")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, TestName = "An encoded surrogate fails")]
    [TestCase(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, TestName = "A code point above U+10FFFF fails")]
    [TestCase(new byte[] { 0xFF }, TestName = "0xFF fails")]
    [TestCase(new byte[] { 0x61, 0xE2, 0x82 }, TestName = "Text ending inside a character fails")]
    public void Invalid_text_fails_however_it_is_cut(byte[] bytes)
    {
        for (var a = 0; a <= bytes.Length; a++)
            Assert.That(Validate(bytes, a), Is.False, $"cut {a}");
    }

    [Test]
    public void A_surrogate_is_refused_as_soon_as_its_second_byte_arrives()
    {
        var validator = new Utf8StreamValidator();
        Assert.That(validator.Append([0xED]), Is.True);
        Assert.That(validator.Append([0xA0]), Is.False);
    }
}
