using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Chat.Auth;

/// <summary>Token checks of CONTRACTS.md section 3 (pure; a fixed clock).</summary>
[TestFixture]
public sealed class Hs256JwtTests
{
    private const string Secret = "short secret"; // shorter than 256 bits: Node's jsonwebtoken accepts it, so must we
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static Hs256Jwt Jwt(string? issuer = null, string? audience = null) => new(Secret, issuer, audience, new FixedClock());

    private static string B64(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    /// <summary>A token with any header, signed with <paramref name="secret"/> by HMAC-SHA256 (or unsigned).</summary>
    private static string Forge(string header, string payload, string? secret = Secret)
    {
        var signingInput = B64(header) + "." + B64(payload);
        var signature = secret is null ? "" : System.Buffers.Text.Base64Url.EncodeToString(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput)));
        return signingInput + "." + signature;
    }

    [Test]
    public void AValidToken_NamesItsUser()
    {
        var token = Jwt().Issue(new JsonObject { ["sub"] = "u1", ["username"] = "Alice", ["exp"] = Now.ToUnixTimeSeconds() + 60 });
        var (user, failure) = Jwt().Validate(token);
        Assert.That(failure, Is.Null);
        Assert.That(user, Is.EqualTo(new AuthenticatedUser("u1", "Alice")));
    }

    [TestCase("""{"sub":"s","userId":"u","id":"i"}""", "s", "s")]
    [TestCase("""{"userId":"u","id":"i","name":"N"}""", "u", "N")]
    [TestCase("""{"id":42,"preferred_username":"P"}""", "42", "P")]
    [TestCase("""{"sub":"s","username":"U","name":"N","preferred_username":"P"}""", "s", "U")]
    [TestCase("""{"userId":7}""", "7", "7")]
    public void UserIdAndName_FollowTheClaimOrder(string claims, string id, string name)
    {
        var (user, _) = Jwt().Validate(Jwt().Issue(JsonNode.Parse(claims)!.AsObject()));
        Assert.That(user, Is.EqualTo(new AuthenticatedUser(id, name)));
    }

    [TestCase(null, AuthFailure.MissingToken)]
    [TestCase("", AuthFailure.MissingToken)]
    [TestCase("not a token", AuthFailure.InvalidToken)]
    [TestCase("a.b", AuthFailure.InvalidToken)]
    [TestCase("a.b.c.d", AuthFailure.InvalidToken)]
    [TestCase("!!.??.##", AuthFailure.InvalidToken)]
    public void MalformedTokens_AreRefused(string? token, AuthFailure expected) =>
        Assert.That(Jwt().Validate(token).Failure, Is.EqualTo(expected));

    [Test]
    public void AWrongSignature_IsInvalid() =>
        Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u"}""", "another secret")).Failure, Is.EqualTo(AuthFailure.InvalidToken));

    [TestCase("""{"alg":"none"}""", null)]
    [TestCase("""{"alg":"none"}""", Secret)]
    [TestCase("""{"alg":"HS512"}""", Secret)]
    [TestCase("""{"alg":"RS256"}""", Secret)]
    [TestCase("""{"alg":"hs256"}""", Secret)]
    [TestCase("""{}""", Secret)]
    [TestCase("""[]""", Secret)]
    public void OtherAlgorithms_AreRefused(string header, string? secret) =>
        Assert.That(Jwt().Validate(Forge(header, """{"sub":"u"}""", secret)).Failure, Is.EqualTo(AuthFailure.InvalidToken));

    [Test]
    public void Expiry_IsEnforced()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", $$"""{"sub":"u","exp":{{Now.ToUnixTimeSeconds()}}}""")).Failure,
                Is.EqualTo(AuthFailure.ExpiredToken), "expired at exp, as jsonwebtoken");
            Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", $$"""{"sub":"u","exp":{{Now.ToUnixTimeSeconds() + 1}}}""")).Failure, Is.Null);
            Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u","exp":"tomorrow"}""")).Failure, Is.EqualTo(AuthFailure.InvalidToken));
        });
    }

    [Test]
    public void NotYetValid_IsInvalid()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", $$"""{"sub":"u","nbf":{{Now.ToUnixTimeSeconds() + 10}}}""")).Failure,
                Is.EqualTo(AuthFailure.InvalidToken));
            Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", $$"""{"sub":"u","nbf":{{Now.ToUnixTimeSeconds()}}}""")).Failure, Is.Null);
        });
    }

    [Test]
    public void IssuerAndAudience_AreCheckedWhenSet()
    {
        var jwt = Jwt("issuer-1", "aud-1");
        Assert.Multiple(() =>
        {
            Assert.That(jwt.Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u","iss":"issuer-1","aud":"aud-1"}""")).Failure, Is.Null);
            Assert.That(jwt.Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u","iss":"issuer-1","aud":["x","aud-1"]}""")).Failure, Is.Null);
            Assert.That(jwt.Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u","iss":"other","aud":"aud-1"}""")).Failure, Is.EqualTo(AuthFailure.InvalidToken));
            Assert.That(jwt.Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u","iss":"issuer-1","aud":"other"}""")).Failure, Is.EqualTo(AuthFailure.InvalidToken));
            Assert.That(jwt.Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u"}""")).Failure, Is.EqualTo(AuthFailure.InvalidToken));
            Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", """{"sub":"u","iss":"anything","aud":"any"}""")).Failure, Is.Null, "unchecked when not set");
        });
    }

    [TestCase("""{"username":"no id"}""")]
    [TestCase("""{"sub":""}""")]
    [TestCase("""{"sub":null}""")]
    [TestCase("""{"sub":{"id":1}}""")]
    [TestCase("""[1,2]""")]
    [TestCase("""not json""")]
    public void ATokenWithoutAUser_IsInvalid(string payload) =>
        Assert.That(Jwt().Validate(Forge("""{"alg":"HS256"}""", payload)).Failure, Is.EqualTo(AuthFailure.InvalidToken));
}
