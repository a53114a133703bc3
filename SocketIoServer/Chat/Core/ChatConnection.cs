using SocketIoServer.Chat.Storage;
using SocketIoServer.Server;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// One authenticated chat socket: its user, and a queue that runs its chat operations one at a time in arrival
/// order (so two messages sent back to back are stored, acknowledged and broadcast in that order).
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LocalOnlyJsonConverter<ChatConnection>))]
public sealed class ChatConnection(Socket socket, ChatUser user)
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    public Socket Socket { get; } = socket;

    public ChatUser User { get; } = user;

    public string UserId => User.Id;

    /// <summary>Runs <paramref name="operation"/> after the ones queued before it; never two at once for one socket.</summary>
    public async Task RunAsync(Func<Task> operation)
    {
        await _serial.WaitAsync();
        try
        {
            await operation();
        }
        finally
        {
            _serial.Release();
        }
    }
}
