using SocketIoServer.Fixture;

// `dotnet run --project SocketIoServer -- fixture [flags]` starts the protocol fixture. Until the chat server
// lands, running with no arguments starts the fixture too.
var fixtureArgs = args.Length > 0 && args[0] == "fixture" ? args[1..] : args;
WebApplication app;
try
{
    app = FixtureApp.Build(fixtureArgs);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

await app.RunAsync();
return 0;
