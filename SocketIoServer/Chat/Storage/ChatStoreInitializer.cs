using Microsoft.Extensions.Hosting;

namespace SocketIoServer.Chat.Storage;

/// <summary>
/// Creates or migrates the schema when the host starts, before the server takes requests (hosted services start
/// before the web server); if the store cannot be reached or migrated, start-up fails instead of serving half-ready.
/// </summary>
internal sealed class ChatStoreInitializer(IChatStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
