using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>A redis-server of one test's own (Debian's binary), which the test may stop and start again on the same port.</summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private Process? _process;

    public PrivateRedis()
    {
        Port = Support.TestEnvironment.FreePort();
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        if (binary is null) Assert.Fail("redis-server is not installed: ./scripts/test.sh installs it");
        _process = Process.Start(new ProcessStartInfo(binary!, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("redis-server did not listen within 5 s");
    }

    /// <summary>Kills the server (SIGKILL): every connection to it drops at once.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
