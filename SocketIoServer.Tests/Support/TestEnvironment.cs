using System.Net;
using System.Net.Sockets;

namespace SocketIoServer.Tests.Support;

/// <summary>Where the tests run: the repository they belong to, and loopback ports nobody holds.</summary>
public static class TestEnvironment
{
    /// <summary>The repository root (the directory holding <c>SocketIoServer.sln</c>), found from the test assembly upwards.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SocketIoServer.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
        }
    }

    /// <summary>A loopback port free right now (for a child process that must be told its port).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
