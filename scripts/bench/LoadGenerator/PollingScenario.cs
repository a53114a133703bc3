using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>
/// HTTP long-polling clients (transport=polling only): each keeps one GET waiting and, sequentially, POSTs
/// "message" and waits until a GET brings "message-back".
/// </summary>
internal static class PollingScenario
{
    public static async Task<Result> RunAsync(Common c, Options o)
    {
        var clientCount = o.Int("clients", 50);
        var warmupSeconds = o.Double("warmup", c.Quick ? 1 : 3);
        var durationSeconds = o.Double("duration", c.Quick ? 3 : 10);
        o.EnsureAllUsed();

        var result = new Result("polling", c);
        using var probe = c.Probe();
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (ctx, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(c.Server, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var baseUrl = $"http://{c.Server}/socket.io/?EIO=4&transport=polling";
        var shared = new Shared();

        using var stop = new CancellationTokenSource();
        var clients = new List<PollingClient>();
        long failures = 0;
        string? firstFailure = null;
        await Parallel.ForAsync(0, clientCount, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, _) =>
        {
            var client = new PollingClient(i, http, baseUrl, shared);
            try
            {
                await client.ConnectAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
                lock (clients) clients.Add(client);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, $"{ex.GetType().Name}: {ex.Message}", null);
            }
        });
        if (clients.Count == 0) throw new IOException($"could not connect: {firstFailure}");

        var loops = clients.Select(client => client.RunAsync(stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));
        var start = await probe.SnapshotAsync(Interlocked.Read(ref shared.RoundTrips));
        var histogram = new Histogram();
        shared.Histogram = histogram;
        await Task.Delay(TimeSpan.FromSeconds(durationSeconds));
        var end = await probe.SnapshotAsync(Interlocked.Read(ref shared.RoundTrips));
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // cancelled loops
        }

        result.WindowMetrics(new Window(start, end), histogram, "RoundTrip", "roundTripsPerSec");
        result.Detail("clients", clients.Count);
        if (firstFailure is not null) result.Detail("firstConnectFailure", firstFailure);
        result.ErrorMetrics(failures);
        return result;
    }

    private sealed class Shared
    {
        public long RoundTrips;
        public volatile Histogram Histogram = new();
    }

    private sealed class PollingClient(int id, HttpClient http, string baseUrl, Shared shared)
    {
        private static readonly MediaTypeHeaderValue TextPlain = MediaTypeHeaderValue.Parse("text/plain;charset=UTF-8");
        private readonly SemaphoreSlim _postLock = new(1, 1);
        private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string _url = "";
        private volatile TaskCompletionSource? _reply;
        private bool _closing;

        public async Task ConnectAsync(CancellationToken ct)
        {
            var open = await http.GetStringAsync(baseUrl, ct);
            if (open.Length == 0 || open[0] != '0') throw new IOException($"unexpected handshake: {open}");
            using (var doc = JsonDocument.Parse(open.AsMemory(1)))
                _url = $"{baseUrl}&sid={doc.RootElement.GetProperty("sid").GetString()}";
            await PostAsync("40", ct);
            _ = PollLoopAsync(ct);
            await _connected.Task.WaitAsync(ct);
        }

        private async Task PollLoopAsync(CancellationToken ct)
        {
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var payload = await http.GetStringAsync(_url, ct);
                    foreach (var packet in payload.Split('\u001e'))
                    {
                        if (packet.Length == 0) continue;
                        switch (packet[0])
                        {
                            case '2':
                                _ = PostAsync("3", ct);
                                break;
                            case '4' when packet.StartsWith("40", StringComparison.Ordinal):
                                _connected.TrySetResult();
                                break;
                            case '4' when packet.StartsWith("44", StringComparison.Ordinal):
                                throw new IOException($"CONNECT_ERROR {packet}");
                            case '4' when packet.StartsWith("42[\"message-back\"", StringComparison.Ordinal):
                                _reply?.TrySetResult();
                                break;
                            case '1':
                                throw new IOException("closed by the server");
                        }
                    }
                }
            }
            catch (Exception ex)
            {
                if (!ct.IsCancellationRequested && !_closing)
                {
                    Interlocked.Increment(ref Errors.UnexpectedCloses);
                    Errors.Note($"polling client {id}: {ex.GetType().Name}: {ex.Message}");
                }
                _connected.TrySetException(ex);
                _reply?.TrySetException(ex);
            }
        }

        private async Task PostAsync(string body, CancellationToken ct)
        {
            // Engine.IO refuses overlapping POSTs of one session: one at a time
            await _postLock.WaitAsync(ct);
            try
            {
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.ContentType = TextPlain;
                using var response = await http.PostAsync(_url, content, ct);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref Errors.SendFailures);
                    Errors.Note($"polling client {id}: POST answered {(int)response.StatusCode}");
                }
            }
            finally
            {
                _postLock.Release();
            }
        }

        public async Task RunAsync(CancellationToken ct)
        {
            var n = 0;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _reply = reply;
                    var sentAt = Clock.NowMicros();
                    await PostAsync($"42[\"message\",{{\"n\":{n++},\"s\":\"hello\"}}]", ct);
                    await reply.Task.WaitAsync(ct);
                    shared.Histogram.Record(Clock.NowMicros() - sentAt);
                    Interlocked.Increment(ref shared.RoundTrips);
                }
            }
            catch (OperationCanceledException)
            {
            }
            _closing = true;
        }
    }
}
