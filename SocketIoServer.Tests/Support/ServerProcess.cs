using System.Diagnostics;

namespace SocketIoServer.Tests.Support;

/// <summary>
/// A server run as a process of its own (<c>dotnet &lt;dll&gt; args</c>), so that a test can kill it with SIGKILL (no
/// shutdown code runs, as when the machine or the container dies) and start it again with the same arguments.
/// Ready when an HTTP GET of its probe URL succeeds. Its output goes to the test's progress log, prefixed with its name.
/// </summary>
public sealed class ServerProcess(string name, IReadOnlyList<string> arguments, string probeUrl, IReadOnlyDictionary<string, string>? environment = null)
    : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;

    public string Name => name;

    /// <summary>Starts the process and waits until the probe URL answers with a success status.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = _process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine($"{name}: {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine($"{name}: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(probeUrl)).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await KillAsync();
        throw new TimeoutException($"{name} did not answer {probeUrl} within {StartTimeout.TotalSeconds} s");
    }

    /// <summary>SIGKILL: the server vanishes without a word to its clients or to Redis.</summary>
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
