using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SocketIoServer.Tests.Server.Redis;

/// <summary>
/// Debian's nginx in front of server nodes, configured as seed 004's "Load Balancing" section has it (an upstream with
/// <c>ip_hash</c> for sticky sessions, HTTP/1.1 and the Upgrade headers for WebSockets), run as a child process with
/// its own prefix directory. <c>scripts/test.sh</c> installs nginx when it is missing.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxProxy(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public static async Task<NginxProxy> StartAsync(params string[] backends)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (nginx is null) Assert.Fail("nginx is not installed: ./scripts/test.sh installs it (Debian's nginx-light)");
        var prefix = Path.Combine(Path.GetTempPath(), "nginx-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var port = Support.TestEnvironment.FreePort();
        var servers = string.Join("\n", backends.Select(b => $"        server {new Uri(b).Authority};"));
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            error_log {{prefix}}/logs/error.log warn;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                upstream socketio {
                    ip_hash; # Sticky sessions
            {{servers}}
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location /socket.io/ {
                        proxy_pass http://socketio;
                        proxy_http_version 1.1;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection "upgrade";
                    }
                }
            }
            """);
        var info = new ProcessStartInfo(nginx!, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(info)!;
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) Assert.Fail("nginx exited: " + await process.StandardError.ReadToEndAsync());
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new NginxProxy(process, prefix, port);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new TimeoutException("nginx did not listen within 5 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_prefix, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
