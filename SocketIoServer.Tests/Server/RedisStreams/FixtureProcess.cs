using System.Diagnostics;
using System.Globalization;
using SocketIoServer.Tests.Chat.Support;
using SocketIoServer.Tests.Support;

namespace SocketIoServer.Tests.Server.RedisStreams;

/// <summary>
/// The protocol fixture as a process of its own (<c>SocketIoServer.dll fixture ...</c>), so that a test can kill it
/// with SIGKILL: no shutdown code runs, no session is saved on the way out.
/// </summary>
public sealed class FixtureProcess : IAsyncDisposable
{
    private readonly Process _process;

    private FixtureProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Starts the fixture on a free port with <paramref name="flags"/> and waits until it answers a polling handshake.</summary>
    public static async Task<FixtureProcess> StartAsync(params string[] flags)
    {
        var port = TestEnvironment.FreePort();
        var info = new ProcessStartInfo("dotnet", [ChatServerProcess.ServerDll, "fixture", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--ping-interval", "30000", "--ping-timeout", "20000", .. flags])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine($"fixture {port}: {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine($"fixture {port}: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = $"http://localhost:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the fixture exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(url + "/socket.io/?EIO=4&transport=polling")).IsSuccessStatusCode) return new FixtureProcess(process, url);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        process.Kill();
        throw new TimeoutException("the fixture did not answer within 60 s");
    }

    /// <summary>SIGKILL, as when the machine or the container dies.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
