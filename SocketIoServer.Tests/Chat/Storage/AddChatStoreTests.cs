using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using SocketIoServer.Chat.Storage;

namespace SocketIoServer.Tests.Chat.Storage;

/// <summary>The DI registration: which backend the settings choose, start-up validation and migration, the health check.</summary>
[TestFixture]
public sealed class AddChatStoreTests
{
    private readonly List<TestDatabase> _databases = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var database in _databases) await database.DisposeAsync();
        _databases.Clear();
    }

    [Test]
    public void With_no_settings_the_store_is_sqlite_under_data()
    {
        var options = Bind(new Dictionary<string, string?>());
        Assert.That(options.Backend, Is.EqualTo(ChatStoreBackend.Sqlite));
        Assert.That(options.SqlitePath, Is.EqualTo(Path.Combine("data", "chat.db")));
        Assert.That(options.DatabaseUrl, Is.Null);
    }

    [Test]
    public void The_flat_names_win_over_the_section()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["ChatStore:SqlitePath"] = "from/section.db",
            ["ChatStore:SqliteBusyTimeout"] = "00:00:09",
            ["SQLITE_PATH"] = "from/env.db",
        });
        Assert.That(options.SqlitePath, Is.EqualTo("from/env.db"));
        Assert.That(options.SqliteBusyTimeout, Is.EqualTo(TimeSpan.FromSeconds(9)));
        Assert.That(Bind(new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://h/d" }).Backend, Is.EqualTo(ChatStoreBackend.Postgres));
    }

    [Test]
    public async Task Start_up_creates_the_sqlite_file_and_the_health_check_passes()
    {
        var database = new SqliteTestDatabase();
        _databases.Add(database);
        using var host = Build(new Dictionary<string, string?> { ["SQLITE_PATH"] = database.FilePath });
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IChatStore>();
        Assert.That(store.Backend, Is.EqualTo(ChatStoreBackend.Sqlite));
        Assert.That(File.Exists(database.FilePath), Is.True);
        Assert.That(await database.CountAsync("schema_version"), Is.GreaterThan(0), "migrated at start-up");
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy));
        await host.StopAsync();
    }

    [Test]
    public async Task Start_up_uses_postgres_when_DATABASE_URL_is_set()
    {
        var database = await PostgresTestDatabase.CreateAsync();
        _databases.Add(database);
        using var host = Build(new Dictionary<string, string?> { ["DATABASE_URL"] = database.ConnectionString.ConnectionString });
        await host.StartAsync();
        Assert.That(host.Services.GetRequiredService<IChatStore>().Backend, Is.EqualTo(ChatStoreBackend.Postgres));
        Assert.That(await database.CountAsync("schema_version"), Is.GreaterThan(0), "migrated at start-up");
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.That(health.Status, Is.EqualTo(HealthStatus.Healthy));
        await host.StopAsync();
    }

    [TestCase("DATABASE_URL", "postgres://u:hunter2@h:notaport/d", "DATABASE_URL has port 'notaport'")]
    [TestCase("DATABASE_URL", "mysql://u:hunter2@h/d", "DATABASE_URL has scheme 'mysql'")]
    [TestCase("ChatStore:SqliteBusyTimeout", "00:00:00", "ChatStore:SqliteBusyTimeout")]
    public void A_bad_setting_stops_start_up_with_one_line_naming_it(string setting, string value, string expected)
    {
        using var host = Build(new Dictionary<string, string?> { [setting] = value, ["SQLITE_PATH"] = Path.Combine(Path.GetTempPath(), "never-created", "x.db") });
        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!;
        Assert.That(error.Message, Does.StartWith(expected));
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public async Task A_sqlite_path_that_cannot_be_created_stops_start_up_naming_the_setting()
    {
        var database = new SqliteTestDatabase();
        _databases.Add(database);
        Directory.CreateDirectory(database.Directory);
        var blocker = Path.Combine(database.Directory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        using var host = Build(new Dictionary<string, string?> { ["SQLITE_PATH"] = Path.Combine(blocker, "chat.db") });
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync())!;
        Assert.That(error.Message, Does.StartWith("SQLITE_PATH"));
    }

    [Test]
    public void An_unreachable_postgres_server_stops_start_up()
    {
        // a port nobody listens on: the migration at start-up fails, so the server never starts half-ready
        using var host = Build(new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://u@127.0.0.1:1/d?connect_timeout=2" });
        Assert.ThrowsAsync<NpgsqlException>(() => host.StartAsync());
    }

    private static ChatStoreOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new ChatStoreOptions();
        ChatStoreServiceCollectionExtensions.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), options);
        return options;
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddChatStore(builder.Configuration);
        return builder.Build();
    }
}
