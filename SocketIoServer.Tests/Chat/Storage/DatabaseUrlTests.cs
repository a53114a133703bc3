using Npgsql;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>DATABASE_URL in each form hosts and tools write it, and one clear error for anything else.</summary>
[TestFixture]
public sealed class DatabaseUrlTests
{
    [Test]
    public void A_full_uri_becomes_every_part_of_the_connection_string()
    {
        var b = DatabaseUrl.Parse("postgres://chat%40app:p%3Ass%2Fw0rd@db.example.com:6543/chat%20db?sslmode=require&application_name=socketio&connect_timeout=7");
        Assert.Multiple(() =>
        {
            Assert.That(b.Host, Is.EqualTo("db.example.com"));
            Assert.That(b.Port, Is.EqualTo(6543));
            Assert.That(b.Username, Is.EqualTo("chat@app"));
            Assert.That(b.Password, Is.EqualTo("p:ss/w0rd"));
            Assert.That(b.Database, Is.EqualTo("chat db"));
            Assert.That(b.SslMode, Is.EqualTo(SslMode.Require));
            Assert.That(b.ApplicationName, Is.EqualTo("socketio"));
            Assert.That(b.Timeout, Is.EqualTo(7));
        });
    }

    [TestCase("postgresql://localhost/chat", "localhost", 5432, null, "chat")]
    [TestCase("POSTGRES://user@localhost", "localhost", 5432, "user", null)]
    [TestCase("postgres://u@127.0.0.1:55432/", "127.0.0.1", 55432, "u", null)]
    [TestCase("postgres://u@[::1]:5433/d", "::1", 5433, "u", "d")]
    [TestCase("postgres://u@[2001:db8::7]/d", "2001:db8::7", 5432, "u", "d")]
    [TestCase("postgres://u@/d?host=/var/run/postgresql&port=5434", "/var/run/postgresql", 5434, "u", "d")]
    [TestCase("  postgres://u@h/d  ", "h", 5432, "u", "d")]
    public void Uri_forms(string url, string host, int port, string? user, string? database)
    {
        var b = DatabaseUrl.Parse(url);
        Assert.That((b.Host, b.Port, b.Username, b.Database), Is.EqualTo((host, port, user, database)));
    }

    [Test]
    public void Several_hosts_keep_their_own_ports()
    {
        var b = DatabaseUrl.Parse("postgres://u:p@primary:5432,replica:5433,[::1]/d?target_session_attrs=read-write");
        Assert.That(b.Host, Is.EqualTo("primary:5432,replica:5433,[::1]"));
        Assert.That(b.TargetSessionAttributes, Is.EqualTo("read-write"));
    }

    [TestCase("disable", SslMode.Disable)]
    [TestCase("allow", SslMode.Allow)]
    [TestCase("prefer", SslMode.Prefer)]
    [TestCase("verify-ca", SslMode.VerifyCA)]
    [TestCase("verify-full", SslMode.VerifyFull)]
    public void Every_libpq_sslmode(string mode, SslMode expected) =>
        Assert.That(DatabaseUrl.Parse($"postgres://h/d?sslmode={mode}").SslMode, Is.EqualTo(expected));

    [Test]
    public void Npgsql_keywords_pass_through_the_uri_query() =>
        Assert.That(DatabaseUrl.Parse("postgres://h/d?Maximum%20Pool%20Size=7").MaxPoolSize, Is.EqualTo(7));

    [Test]
    public void The_npgsql_form()
    {
        var b = DatabaseUrl.Parse("Host=db;Port=5433;Database=chat;Username=u;Password=secret");
        Assert.That((b.Host, b.Port, b.Database, b.Username), Is.EqualTo(("db", 5433, "chat", "u")));
    }

    [Test]
    public void The_libpq_key_value_form()
    {
        var b = DatabaseUrl.Parse("host=db port=5433 dbname=chat user=u password='with \\'quote\\' and space' sslmode=verify-full");
        Assert.That((b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode),
            Is.EqualTo(("db", 5433, "chat", "u", "with 'quote' and space", SslMode.VerifyFull)));
        Assert.That(DatabaseUrl.Parse("host = db").Host, Is.EqualTo("db"));
    }

    [TestCase("", "is empty")]
    [TestCase("   ", "is empty")]
    [TestCase("mysql://u:pw@h/d", "scheme 'mysql'")]
    [TestCase("postgres://u:pw@h:port/d", "port 'port'")]
    [TestCase("postgres://u:pw@h:70000/d", "port '70000'")]
    [TestCase("postgres://u:pw@h/d?sslmode=sometimes", "sslmode 'sometimes'")]
    [TestCase("postgres://u:pw@h/d?colour=blue", "'colour'")]
    [TestCase("postgres://u:pw@h/d?flag", "without a value")]
    [TestCase("postgres://u:pw@[::1/d", "closing ']'")]
    [TestCase("postgres://u:pw@/d", "no host")]
    [TestCase("postgres://u:pw@h:/d", "port ''")]
    [TestCase("Host=h;Colour=blue;Password=pw", "unknown key 'Colour'")]
    [TestCase("Database=d;Password=pw", "no host")]
    [TestCase("just some words pw", "neither a postgres:// URI nor key=value pairs")]
    [TestCase("host=h password='pw", "unterminated")]
    [TestCase("host=h colour=pw", "'colour'")]
    public void Bad_values_are_one_line_naming_the_setting_and_never_the_password(string url, string problem)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseUrl.Parse(url))!;
        Assert.That(error.Message, Does.StartWith("DATABASE_URL "));
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.Not.Contain("pw"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void The_description_for_logs_has_no_password()
    {
        var description = DatabaseUrl.Describe(DatabaseUrl.Parse("postgres://u:secret@h:5433/d"));
        Assert.That(description, Is.EqualTo("u@h:5433/d"));
    }
}
