using System.Diagnostics;
using System.Reflection;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// One node of a Redis cluster in a process of its own (<c>SocketIoServer.Tests.dll cluster-node</c>: the interop app
/// on the Redis adapter, see InteropServerProgram), so that a test can run several nodes as separate processes and
/// kill one with SIGKILL.
/// </summary>
public sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ClusterNodeProcess(Process process, string name, string url)
    {
        _process = process;
        Name = name;
        Url = url;
    }

    public string Name { get; }

    public string Url { get; }

    /// <summary>Starts the node and waits for the line that says where it listens.</summary>
    public static async Task<ClusterNodeProcess> StartAsync(string key, string name)
    {
        var info = new ProcessStartInfo("dotnet", [Assembly.GetExecutingAssembly().Location, "cluster-node",
            "--port", "0", "--redis", RedisTestServer.Url, "--key", key, "--name", name])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            const string marker = " listening on ";
            if (e.Data?.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at) listening.TrySetResult(e.Data[(at + marker.Length)..].Trim());
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"cluster node {name} exited with {process.ExitCode}: {string.Join('\n', errors)}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new ClusterNodeProcess(process, name, url);
        }
        catch
        {
            if (!process.HasExited) process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the node vanishes without a word to Redis or its clients.</summary>
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
