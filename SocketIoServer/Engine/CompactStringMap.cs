using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SocketIoServer.Engine;

/// <summary>
/// A read-only map of the few names and values a request carries (headers, query parameters), kept as one array:
/// each idle session holds two of these, and a dictionary costs about three times the memory. Lookups scan, which
/// for a dozen entries is as fast as hashing.
/// </summary>
public sealed class CompactStringMap : IReadOnlyDictionary<string, string>
{
    private readonly KeyValuePair<string, string>[] _entries;
    private readonly StringComparer _comparer;

    /// <summary>Later entries with the same name replace earlier ones.</summary>
    public CompactStringMap(IEnumerable<KeyValuePair<string, string>> entries, StringComparer comparer)
    {
        _comparer = comparer;
        var list = new List<KeyValuePair<string, string>>();
        foreach (var entry in entries)
        {
            var index = list.FindIndex(e => comparer.Equals(e.Key, entry.Key));
            if (index >= 0) list[index] = entry;
            else list.Add(entry);
        }
        _entries = [.. list];
    }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public int Count => _entries.Length;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<string> Values => _entries.Select(e => e.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var (name, text) in _entries)
        {
            if (!_comparer.Equals(name, key)) continue;
            value = text;
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
