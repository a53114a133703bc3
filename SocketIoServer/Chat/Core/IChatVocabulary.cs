namespace SocketIoServer.Chat.Core;

/// <summary>
/// One product's event contract (a seed): the handlers it registers on each chat socket, and how it announces the
/// core's events. All vocabularies are attached to every socket (a socket is answered in the vocabulary it speaks)
/// and every vocabulary publishes every event (clients ignore event names they do not use).
/// </summary>
public interface IChatVocabulary
{
    /// <summary>The namespaces whose sockets speak this vocabulary ("/" for most).</summary>
    IReadOnlyCollection<string> Namespaces { get; }

    /// <summary>Registers the vocabulary's event handlers on a connected, authenticated socket.</summary>
    void Attach(ChatConnection connection);

    /// <summary>Turns a core event into this vocabulary's broadcasts.</summary>
    Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken);
}
