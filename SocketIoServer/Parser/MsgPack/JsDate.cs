using System.Globalization;

namespace SocketIoServer.Parser.MsgPack;

/// <summary>
/// JavaScript's <c>Date.prototype.toJSON</c> for a time value: what a JSON client would have sent for the Date that a
/// msgpack client sent as notepack's Date extension. Covers the whole JavaScript range (±8.64e15 ms, years −271821
/// to 275760, beyond what <see cref="DateTime"/> holds), in the proleptic Gregorian calendar JavaScript uses.
/// </summary>
internal static class JsDate
{
    private const double MaxTime = 8.64e15;
    private const long MsPerDay = 86_400_000;

    /// <summary>The ISO string <c>toISOString</c> gives, or null for an invalid date (as <c>toJSON</c> returns).</summary>
    public static string? ToJson(double time)
    {
        if (!double.IsFinite(time) || Math.Abs(time) > MaxTime) return null;
        var ms = (long)Math.Truncate(time);
        var days = Math.DivRem(ms, MsPerDay, out var msOfDay);
        if (msOfDay < 0)
        {
            days--;
            msOfDay += MsPerDay;
        }
        var (year, month, day) = CivilFromDays(days);
        var yearText = year is >= 0 and <= 9999
            ? year.ToString("D4", CultureInfo.InvariantCulture)
            : (year < 0 ? "-" : "+") + Math.Abs(year).ToString("D6", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{yearText}-{month:D2}-{day:D2}T{msOfDay / 3_600_000:D2}:{msOfDay / 60_000 % 60:D2}:{msOfDay / 1000 % 60:D2}.{msOfDay % 1000:D3}Z");
    }

    /// <summary>Year, month, day of a day count since 1970-01-01 (Howard Hinnant's <c>civil_from_days</c>).</summary>
    private static (long Year, long Month, long Day) CivilFromDays(long days)
    {
        var z = days + 719_468;
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var dayOfEra = z - era * 146_097;
        var yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        var dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        var mp = (5 * dayOfYear + 2) / 153;
        var day = dayOfYear - (153 * mp + 2) / 5 + 1;
        var month = mp < 10 ? mp + 3 : mp - 9;
        var year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }
}
