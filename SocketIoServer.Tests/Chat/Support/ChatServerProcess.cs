using System.Diagnostics;
using SocketIoServer.Tests.Support;
using System.Net;
using System.Net.Sockets;

namespace SocketIoServer.Tests.Chat.Support;

/// <summary>
/// The chat server as a separate process (the built <c>SocketIoServer.dll</c>, as <c>dotnet run</c> starts it), so that
/// a test can kill it with SIGKILL and start it again on the same store.
/// </summary>
public sealed class ChatServerProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    public ChatServerProcess(Dictionary<string, string> environment)
    {
        var port = TestEnvironment.FreePort();
        _environment = new Dictionary<string, string>(environment) { ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Url = $"http://localhost:{port}";
    }

    public string Url { get; }

    public static string ServerDll
    {
        get
        {
            var root = TestEnvironment.RepositoryRoot;
            var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name; // bin/<Configuration>/net10.0
            return Path.Combine(root, "SocketIoServer", "bin", configuration, "net10.0", "SocketIoServer.dll");
        }
    }

    /// <summary>Starts the process and waits until <c>/health</c> answers 200.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet", [ServerDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (key, value) in _environment) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the chat server exited with {_process.ExitCode}");
            try
            {
                if ((await http.GetAsync(Url + "/health")).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the chat server did not answer /health within 60 s");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the container dies.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

}
