using Microsoft.Extensions.Hosting;
using SocketIoServer.Server;

namespace SocketIoServer.Hosting;

/// <summary>Starts the adapters with the host and closes every connection when it stops.</summary>
internal sealed class SocketIoLifetime(IoServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => server.InitAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}
