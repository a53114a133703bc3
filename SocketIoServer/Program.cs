using SocketIoServer.Chat.Hosting;
using SocketIoServer.Fixture;

// `dotnet run --project SocketIoServer` starts the chat server (CONTRACTS.md section 1);
// `dotnet run --project SocketIoServer -- fixture [flags]` starts the protocol fixture instead (section 2).
WebApplication app;
try
{
    app = args.Length > 0 && args[0] == "fixture" ? FixtureApp.Build(args[1..]) : ChatApp.Build(args);
}
catch (Exception ex) when (ex is ArgumentException or ChatSettingsException)
{
    // one line naming the bad setting; the server never starts half-configured
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

try
{
    await app.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine($"error: {string.Join("; ", ex.Failures)}");
    return 2;
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
return 0;
