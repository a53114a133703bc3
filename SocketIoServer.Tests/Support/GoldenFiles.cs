using System.Text.Json.Nodes;

namespace SocketIoServer.Tests.Support;

/// <summary>Reads the golden files of protocol-fixtures/ and converts their <c>{"$binary": base64}</c> convention.</summary>
public static class GoldenFiles
{
    public static JsonArray Load(string fileName)
    {
        var path = Path.Combine(TestContext.CurrentContext?.TestDirectory ?? AppContext.BaseDirectory, "protocol-fixtures", fileName);
        if (!File.Exists(path)) path = Path.Combine(AppContext.BaseDirectory, "protocol-fixtures", fileName);
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    private static readonly Dictionary<string, JsonArray> Cache = new();

    /// <summary>One NUnit case per entry, named by its "name"; the test gets the file and the index.</summary>
    public static IEnumerable<TestCaseData> Cases(string fileName) =>
        Load(fileName).Select((c, i) => new TestCaseData(fileName, i).SetName(c!["name"]!.GetValue<string>()));

    public static JsonNode Case(string fileName, int index)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(fileName, out var all)) Cache[fileName] = all = Load(fileName);
            return all[index]!;
        }
    }

    public static bool IsBinary(JsonNode? node, out byte[] bytes)
    {
        bytes = [];
        if (node is JsonObject { Count: 1 } o && o["$binary"] is JsonValue v)
        {
            bytes = Convert.FromBase64String(v.GetValue<string>());
            return true;
        }
        return false;
    }

    /// <summary>A copy where every $binary object became a JsonValue holding byte[] (what our decoder produces).</summary>
    public static JsonNode? WithBytes(JsonNode? node)
    {
        if (node is null) return null;
        if (IsBinary(node, out var bytes)) return JsonValue.Create(bytes);
        return node switch
        {
            JsonArray a => new JsonArray(a.Select(WithBytes).ToArray()),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, WithBytes(p.Value)))),
            _ => node.DeepClone(),
        };
    }

    /// <summary>A copy where every byte[] value became a $binary object (the golden files' form).</summary>
    public static JsonNode? WithBinaryMarkers(JsonNode? node)
    {
        if (node is null) return null;
        return node switch
        {
            JsonValue v when v.TryGetValue<byte[]>(out var bytes) => new JsonObject { ["$binary"] = Convert.ToBase64String(bytes) },
            JsonArray a => new JsonArray(a.Select(WithBinaryMarkers).ToArray()),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, WithBinaryMarkers(p.Value)))),
            _ => JsonNode.Parse(node.ToJsonString()),
        };
    }
}
