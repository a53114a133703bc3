using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketIoServer.Chat.Auth;
using SocketIoServer.Chat.Cluster;
using SocketIoServer.Chat.Cluster.Redis;
using SocketIoServer.Chat.Core;
using SocketIoServer.Chat.Http;
using SocketIoServer.Chat.Storage;
using SocketIoServer.Chat.Vocabularies.DeedO;
using SocketIoServer.Chat.Vocabularies.Famly;
using SocketIoServer.Chat.Vocabularies.Task5;
using SocketIoServer.Chat.Vocabularies.WhatsApp;
using SocketIoServer.Chat.Vocabularies.WhisperSpace;
using SocketIoServer.Engine;
using SocketIoServer.Hosting;
using SocketIoServer.Server;
using SocketIoServer.Server.Adapters.Redis;

namespace SocketIoServer.Chat.Hosting;

/// <summary>
/// The chat server (CONTRACTS.md section 1): Socket.IO on Kestrel with seed 003's settings, JWT authentication on
/// every namespace, the chat core on SQLite (or PostgreSQL with <c>DATABASE_URL</c>), the vocabularies, and the HTTP
/// API. What <c>dotnet run --project SocketIoServer</c> starts.
/// </summary>
public static partial class ChatApp
{
    /// <summary>The namespaces the chat server serves; any other is refused with "Invalid namespace".</summary>
    public static readonly string[] Namespaces = ["/", "/messages", "/notifications"];

    /// <summary>Builds the app; throws <see cref="ChatSettingsException"/> for a bad setting.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        configure?.Invoke(builder);
        var settings = ChatSettings.From(builder.Configuration);

        builder.WebHost.UseKestrel(k =>
        {
            k.UseSocketIoWebSockets();
            k.Listen(IPAddress.Any, settings.Port);
        });
        // one line per request is noise for a chat server; SOCKET_LOGGING turns on the socket-level debug log instead
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (settings.SocketLogging) builder.Logging.AddFilter("SocketIoServer", LogLevel.Debug);

        // with Redis this process is one node of a cluster: every namespace broadcasts through a Redis adapter
        // (REDIS_ADAPTER: pub/sub or streams; names start with REDIS_KEY_PREFIX, then Node's default "socket.io") and
        // the chat state that nodes share lives in Redis (AddChatState)
        // (made before the host, so it logs through a console logger of its own, disposed with the app)
        var adapterLogs = settings.Redis is null ? null : LoggerFactory.Create(l => l.AddSimpleConsole());
        var adapter = settings.Redis is { } redis
            ? ChatClusterAdapter.Connect(settings, redis, adapterLogs!.CreateLogger<ChatClusterAdapter>())
            : null;
        builder.Services.AddSocketIo(o =>
        {
            if (adapter is not null) o.AdapterFactory = adapter.Create;
            // middlewares run again on recovery: the token is checked anew, and the chat connection, which lives on
            // one node only, is made again (on another node, the session brings the socket's rooms and JSON data)
            if (settings.RecoveryDuration is { } recovery)
                o.ConnectionStateRecovery = new() { MaxDisconnectionDuration = recovery, SkipMiddlewares = false };
            o.Engine.PingTimeout = settings.PingTimeout;
            o.Engine.PingInterval = settings.PingInterval;
            o.Engine.MaxHttpBufferSize = settings.MaxBufferSize;
            o.Engine.AllowEIO3 = true;
            o.Engine.PerMessageDeflate = new EnginePerMessageDeflateOptions { Threshold = 1024 };
            o.Engine.Cors = new EngineCorsOptions { Origins = settings.ClientOrigins?.ToArray() ?? ["*"] };
        });
        builder.Services.AddChatStore(builder.Configuration);

        var secret = settings.JwtSecret;
        var generatedSecret = secret is null;
        secret ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.Services.AddSingleton(sp => new Hs256Jwt(secret, settings.JwtIssuer, settings.JwtAudience, sp.GetService<TimeProvider>()));
        builder.Services.AddSingleton<ChatAuthentication>();
        if (adapter is not null) builder.Services.AddSingleton(adapter);
        builder.Services.AddChatState(settings);
        builder.Services.AddSingleton<ChatService>();
        builder.Services.AddSingleton<AuthenticatedEndpoint>();
        builder.Services.AddSingleton<ChatHttpApi>();
        builder.Services.AddSingleton(sp => new FamlyVocabulary(sp.GetRequiredService<ChatService>(),
            sp.GetRequiredService<IRateLimiterFactory>().SlidingWindow("famly", 10, TimeSpan.FromSeconds(10)),
            sp.GetRequiredService<WhatsAppVocabulary>(), sp.GetRequiredService<ILogger<FamlyVocabulary>>()));
        AddWhatsApp(builder.Services, settings);
        builder.Services.AddSingleton(sp => new WhisperSpaceVocabulary(sp.GetRequiredService<ChatService>(),
            sp.GetRequiredService<IRateLimiterFactory>().SlidingWindow("whisperspace", 30, TimeSpan.FromMinutes(1)),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<WhisperSpaceVocabulary>>()));
        builder.Services.AddSingleton(sp => new Task5Vocabulary(sp.GetRequiredService<ChatService>(), sp.GetRequiredService<ITypingStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<Task5Vocabulary>>()));
        // seed 004 (Deed-O): 30 sendMessage per minute per user; e-mails to offline members through the outbox
        builder.Services.AddSingleton<DeedOMailSignal>();
        builder.Services.AddSingleton<DeedOMailOutbox>();
        builder.Services.AddSingleton(sp => new DeedOVocabulary(sp.GetRequiredService<ChatService>(),
            sp.GetRequiredService<IRateLimiterFactory>().SlidingWindow("deedo", 30, TimeSpan.FromMinutes(1)),
            sp.GetRequiredService<DeedOMailOutbox>(), sp.GetRequiredService<ILogger<DeedOVocabulary>>()));
        builder.Services.AddHostedService(sp => new DeedOMailSender(sp.GetRequiredService<IChatStore>(),
            settings.Smtp is { } smtp
                ? DeedOMailSender.Options.Disabled with { Host = smtp.Host, Port = smtp.Port, From = smtp.From }
                : DeedOMailSender.Options.Disabled,
            sp.GetRequiredService<DeedOMailSignal>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<DeedOMailSender>>()));

        var app = builder.Build();
        if (adapter is not null)
            app.Lifetime.ApplicationStopped.Register(() =>
            {
                adapter.DisposeAsync().AsTask().GetAwaiter().GetResult();
                adapterLogs?.Dispose();
            });
        var chat = app.Services.GetRequiredService<ChatService>();
        chat.AddVocabulary(app.Services.GetRequiredService<FamlyVocabulary>());
        chat.AddVocabulary(app.Services.GetRequiredService<WhatsAppVocabulary>());
        chat.AddVocabulary(app.Services.GetRequiredService<WhisperSpaceVocabulary>());
        chat.AddVocabulary(app.Services.GetRequiredService<Task5Vocabulary>());
        chat.AddVocabulary(app.Services.GetRequiredService<DeedOVocabulary>());

        var auth = app.Services.GetRequiredService<ChatAuthentication>();
        app.MapSocketIo(io =>
        {
            foreach (var name in Namespaces)
                io.Of(name).Use(auth.Authenticate).Use(chat.PrepareAsync).OnConnection(chat.OnConnected);
        });
        app.Services.GetRequiredService<ChatHttpApi>().Map(app);
        app.Services.GetRequiredService<NotificationHttpApi>().Map(app);
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = { [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded] = StatusCodes.Status200OK },
        });

        var jwt = app.Services.GetRequiredService<Hs256Jwt>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SocketIoServer.Chat");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogListening(logger, string.Join(", ", addresses), app.Services.GetRequiredService<IChatStore>().Backend.ToString());
            if (generatedSecret)
            {
                // no JWT_SECRET: this run's random secret, and one token signed with it to try the server
                var token = jwt.Issue(new JsonObject
                {
                    ["sub"] = "demo",
                    ["username"] = "Demo User",
                    ["exp"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds(),
                });
                LogDemoToken(logger, token);
            }
        });
        return app;
    }

    /// <summary>Seed 003's vocabulary and what it needs, with the settings of its configuration guide.</summary>
    private static void AddWhatsApp(IServiceCollection services, ChatSettings settings)
    {
        services.AddSingleton(sp => new WhatsAppRateLimits(settings.RateLimitMax, settings.RateLimitWindow, sp.GetRequiredService<IRateLimiterFactory>()));
        services.AddSingleton(new WhatsAppOptions(settings.MessageQueueExpiry, settings.PingInterval));
        services.AddSingleton(sp => new WhatsAppNotifications(sp.GetRequiredService<ChatService>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<WhatsAppNotifications>>()));
        services.AddSingleton(sp => new WhatsAppVocabulary(sp.GetRequiredService<ChatService>(), sp.GetRequiredService<WhatsAppRateLimits>(),
            sp.GetRequiredService<IMessageLocks>(), sp.GetRequiredService<IUserStatuses>(), sp.GetRequiredService<IConversationViews>(),
            sp.GetRequiredService<WhatsAppNotifications>(), sp.GetRequiredService<WhatsAppOptions>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<WhatsAppVocabulary>>()));
        services.AddSingleton<NotificationHttpApi>();
    }

    [LoggerMessage(LogLevel.Information, "Chat server listening on {Addresses} (store: {Store}); Socket.IO at /socket.io/")]
    private static partial void LogListening(ILogger logger, string addresses, string store);

    [LoggerMessage(LogLevel.Warning, "JWT_SECRET is not set: tokens are signed with a random secret for this run only. Demo token (user \"demo\", valid 24 h): {Token}")]
    private static partial void LogDemoToken(ILogger logger, string token);
}
