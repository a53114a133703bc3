using LoadGenerator;

// Load generator of scripts/bench.sh. One subcommand per scenario; each prints one JSON line on stdout.
const string Usage = """
    usage: LoadGenerator <scenario> --port N [--host 127.0.0.1] [--server-pid PID] [--stats] [--quick]
                         [--server-name NAME] [--round N] [scenario options]
      connections  --steps 2500,5000,10000,19500 --hold 10 --step-hold 3 --concurrency 200 --warmup-clients 100
      fanout       --receivers 1000 --rate 25 --warmup 5 --duration 10 [--no-ramp]
                   --ramp-rates 50,75,100,... --ramp-settle 2 --ramp-duration 4 --p99-limit-ms 100
      cluster-fanout  the fanout options, plus --sender-port N (the sender's node; receivers on --port)
                   --server-pids SENDER_PID,RECEIVER_PID [--redis-pid PID]
      echo         --clients 100 --warmup 3 --duration 10
      polling      --clients 50 --warmup 3 --duration 10
      summarize    --input results.jsonl [--a csharp] [--b node]   (Markdown tables of medians and targets)
    --server-pid is the process whose CPU (/proc/PID/stat) and RSS (/proc/PID/status) are measured;
    --stats reads GET /__stats of the C# fixture before and after the measured window (allocated bytes).
    """;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

// Socket completions run on the epoll thread instead of hopping to the thread pool: about half the generator's CPU
// per message (must be set before the first socket operation; bench.sh sets it too).
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

try
{
    var options = new Options(args[1..]);
    if (args[0] == "summarize") return Summary.Run(options);

    var common = Common.Parse(options);
    ThreadPool.GetMinThreads(out var workers, out var io);
    ThreadPool.SetMinThreads(Math.Max(workers, 4), io);
    Result result = args[0] switch
    {
        "connections" => await ConnectionsScenario.RunAsync(common, options),
        "fanout" => await FanoutScenario.RunAsync(common, options),
        "cluster-fanout" => await FanoutScenario.RunAsync(common, options, "cluster-fanout"),
        "echo" => await EchoScenario.RunAsync(common, options),
        "polling" => await PollingScenario.RunAsync(common, options),
        _ => throw new ArgumentException($"unknown scenario '{args[0]}'"),
    };
    Console.WriteLine(result.ToJson());
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"error: {ex}");
    return 1;
}
