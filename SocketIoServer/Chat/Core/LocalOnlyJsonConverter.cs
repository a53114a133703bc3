using System.Text.Json;
using System.Text.Json.Serialization;

namespace SocketIoServer.Chat.Core;

/// <summary>
/// Writes null for an object that lives in <c>socket.Data</c> but means nothing off this node (a connection holding
/// its socket): another node's <c>FetchSockets</c> gets the socket's data as JSON, and this keeps it from walking
/// the object graph.
/// </summary>
public sealed class LocalOnlyJsonConverter<T> : JsonConverter<T>
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return default;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteNullValue();
}
