using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SocketIoServer.Server;
using SocketIoServer.Tests.Infrastructure;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server;

/// <summary><c>cleanupEmptyChildNamespaces</c>: a dynamic child namespace goes once its last socket left, only when asked.</summary>
[TestFixture]
public sealed class ChildNamespaceCleanupTests
{
    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, string Url, IoServer Io)> StartAsync(bool cleanup)
    {
        var (app, url) = await TestHost.StartAsync(o => o.CleanupEmptyChildNamespaces = cleanup,
            io => io.Of(new Regex("^/dynamic-\\d+$")).OnConnection(_ => { }));
        return (app, url, app.Services.GetRequiredService<IoServer>());
    }

    [Test]
    public async Task WithCleanup_TheChildGoesWithItsLastSocket_AndComesBackOnTheNextConnection()
    {
        var (app, url, io) = await StartAsync(cleanup: true);
        await using var _ = app;
        var first = await TestClient.ConnectAsync(url, ClientTransport.WebSocket, "/dynamic-1");
        var second = await TestClient.ConnectAsync(url, ClientTransport.WebSocket, "/dynamic-1");
        Assert.That(io.Namespaces.ContainsKey("/dynamic-1"), Is.True);

        await first.DisposeAsync();
        await TestWait.UntilAsync(() => io.Namespaces["/dynamic-1"].Sockets.Count == 1, "the first socket to leave");
        Assert.That(io.Namespaces.ContainsKey("/dynamic-1"), Is.True, "one socket is still there");
        await second.DisposeAsync();
        await TestWait.UntilAsync(() => !io.Namespaces.ContainsKey("/dynamic-1"), "the empty child to be removed");

        await using var again = await TestClient.ConnectAsync(url, ClientTransport.WebSocket, "/dynamic-1");
        Assert.That(io.Namespaces.ContainsKey("/dynamic-1"), Is.True, "created again for a new connection");
    }

    [Test]
    public async Task WithoutCleanup_AnEmptyChildStays_AndStaticNamespacesAlwaysStay()
    {
        var (app, url, io) = await StartAsync(cleanup: false);
        await using var _ = app;
        var client = await TestClient.ConnectAsync(url, ClientTransport.WebSocket, "/dynamic-2");
        await client.DisposeAsync();
        await TestWait.UntilAsync(() => io.Namespaces["/dynamic-2"].Sockets.Count == 0, "the socket to leave");
        await Task.Delay(100);
        Assert.That(io.Namespaces.ContainsKey("/dynamic-2"), Is.True);

        var (app2, url2, io2) = await StartAsync(cleanup: true);
        await using var __ = app2;
        var onMain = await TestClient.ConnectAsync(url2, ClientTransport.WebSocket);
        await onMain.DisposeAsync();
        await TestWait.UntilAsync(() => io2.MainNamespace.Sockets.Count == 0, "the socket to leave");
        Assert.That(io2.Namespaces.ContainsKey("/"), Is.True, "only dynamic children are cleaned up");
    }
}
