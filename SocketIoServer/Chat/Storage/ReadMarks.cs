namespace SocketIoServer.Chat.Storage;

internal static class ReadMarks
{
    /// <summary>The marks in the order the ids were asked for; the ids without a mark are the refused ones.</summary>
    public static MarkReadResult Result(IReadOnlyList<string> ids, IReadOnlyDictionary<string, ReadMark> marks)
    {
        var found = new List<ReadMark>(marks.Count);
        var refused = new List<string>();
        foreach (var id in ids)
        {
            if (marks.TryGetValue(id, out var mark)) found.Add(mark);
            else refused.Add(id);
        }
        return new MarkReadResult(found, refused);
    }
}
