using System.Globalization;

namespace SocketIoServer.Chat.Core;

/// <summary>Times as JavaScript's <c>Date.toISOString()</c> writes them (UTC, milliseconds, "Z"), the form every seed's clients parse.</summary>
public static class JsTime
{
    public static string Iso(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
