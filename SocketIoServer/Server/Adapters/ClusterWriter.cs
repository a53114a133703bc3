using System.Text.Json;
using SocketIoServer.Parser;
using SocketIoServer.Parser.MsgPack;

namespace SocketIoServer.Server.Adapters;

/// <summary>
/// Writes what cluster nodes send each other once for both of its forms: JSON (what <c>JSON.stringify</c> makes of
/// it, for stream entries without binary) and MessagePack (what <c>@msgpack/msgpack</c> and notepack.io make of it,
/// binary as <c>bin</c>). Counts are for MessagePack's headers; JSON ignores them. The packet and options shapes of
/// <c>socket.io-adapter</c>, which both Redis adapters send, are written here.
/// </summary>
internal abstract class ClusterWriter
{
    public abstract void Map(int count);

    public abstract void EndMap();

    public abstract void Array(int count);

    public abstract void EndArray();

    public abstract void Key(string key);

    public abstract void String(string value);

    public abstract void Integer(long value);

    public abstract void Boolean(bool value);

    /// <summary>An argument of any kind (JSON nodes, binary, objects), written as the packet encoders write it.</summary>
    public abstract void Value(object? value);

    public void Strings(IReadOnlyCollection<string> values)
    {
        Array(values.Count);
        foreach (var value in values) String(value);
        EndArray();
    }

    /// <summary>The packet as Node.js's broadcast operator builds it: <c>{type: 2, data: [event, ...args], nsp}</c>.</summary>
    public void Packet(BroadcastPacket packet)
    {
        Map(3);
        Key("type");
        Integer(2);
        Key("data");
        Array(packet.Args.Count + 1);
        String(packet.EventName);
        foreach (var arg in packet.Args) Value(arg);
        EndArray();
        Key("nsp");
        String(packet.Namespace);
        EndMap();
    }

    /// <summary>
    /// Broadcast options <c>{rooms, except, flags}</c> with only the flags that are set (Node.js tests
    /// <c>flags.volatile === undefined</c>, so a false flag must not be written).
    /// </summary>
    public void Options(BroadcastOptions options)
    {
        Map(3);
        Key("rooms");
        Strings(options.Rooms);
        Key("except");
        Strings(options.Except);
        Key("flags");
        Map((options.Volatile ? 1 : 0) + (options.Compress ? 0 : 1) + (options.Timeout is null ? 0 : 1));
        if (options.Volatile)
        {
            Key("volatile");
            Boolean(true);
        }
        if (!options.Compress)
        {
            Key("compress");
            Boolean(false);
        }
        if (options.Timeout is { } timeout)
        {
            Key("timeout");
            Integer((long)timeout.TotalMilliseconds);
        }
        EndMap();
        EndMap();
    }
}

internal sealed class JsonClusterWriter(Utf8JsonWriter writer) : ClusterWriter
{
    public override void Map(int count) => writer.WriteStartObject();

    public override void EndMap() => writer.WriteEndObject();

    public override void Array(int count) => writer.WriteStartArray();

    public override void EndArray() => writer.WriteEndArray();

    public override void Key(string key) => writer.WritePropertyName(key);

    public override void String(string value) => writer.WriteStringValue(value);

    public override void Integer(long value) => writer.WriteNumberValue(value);

    public override void Boolean(bool value) => writer.WriteBooleanValue(value);

    public override void Value(object? value) => PacketEncoder.WriteValue(writer, value);
}

internal sealed class MsgPackClusterWriter(MsgPackEncoder encoder) : ClusterWriter
{
    public override void Map(int count) => encoder.Writer.WriteMapHeader(count);

    public override void EndMap()
    {
    }

    public override void Array(int count) => encoder.Writer.WriteArrayHeader(count);

    public override void EndArray()
    {
    }

    public override void Key(string key) => encoder.Writer.WriteString(key);

    public override void String(string value) => encoder.Writer.WriteString(value);

    public override void Integer(long value) => encoder.Writer.WriteInteger(value);

    public override void Boolean(bool value) => encoder.Writer.WriteBoolean(value);

    public override void Value(object? value) => encoder.WriteValue(value);
}
