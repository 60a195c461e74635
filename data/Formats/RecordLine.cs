using System.Globalization;
using System.Text.Json;

namespace Mender.Data.Formats;

/// <summary>How the records of a dict-per-line file are written.</summary>
internal enum LineSyntax
{
    Json,
    PythonLiteral,
}

/// <summary>
/// Reads one record (a dict) from a line of a metadata file, written either as JSON or as a Python literal, into the object
/// model of <see cref="PythonLiteral"/>, so that field mapping code serves both syntaxes.
/// </summary>
internal static class RecordLine
{
    /// <summary>
    /// Decides the syntax of a file from its first record: Python's repr() quotes keys with ' (or writes u'key'), JSON with ".
    /// </summary>
    public static LineSyntax DetectSyntax(ReadOnlySpan<byte> firstRecord)
    {
        var text = firstRecord.TrimStart(" \t"u8);
        if (text.Length > 0 && text[0] == '{')
        {
            var rest = text[1..].TrimStart(" \t"u8);
            if (rest.Length > 0 && rest[0] is (byte)'\'' or (byte)'u' or (byte)'U' or (byte)'b' or (byte)'B')
                return LineSyntax.PythonLiteral;
        }
        return LineSyntax.Json;
    }

    public static Dictionary<string, object?> Parse(ReadOnlySpan<byte> line, LineSyntax syntax)
    {
        var value = syntax == LineSyntax.PythonLiteral ? PythonLiteral.Parse(line) : ParseJson(line);
        return value as Dictionary<string, object?>
            ?? throw new FormatException($"expected a dict record, found {Describe(value)}");
    }

    /// <summary>
    /// JSON readers accept invalid UTF-8 inside strings and fail only when the string is read, with an
    /// InvalidOperationException; checking the line first makes it a malformed line like any other.
    /// </summary>
    public static void RequireUtf8(ReadOnlySpan<byte> line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line)) throw new FormatException("the line is not valid UTF-8 text");
    }

    private static object? ParseJson(ReadOnlySpan<byte> line)
    {
        RequireUtf8(line);
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = PythonLiteral.MaxDepth });
        try
        {
            if (!reader.Read()) throw new FormatException("empty record");
            var value = ReadJsonValue(ref reader);
            if (reader.Read()) throw new FormatException("unexpected text after the JSON record");
            return value;
        }
        catch (JsonException ex)
        {
            throw new FormatException("invalid JSON: " + ex.Message, ex);
        }
    }

    private static object? ReadJsonValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    dict[key] = ReadJsonValue(ref reader);
                }
                return dict;
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    list.Add(ReadJsonValue(ref reader));
                return list;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var integer) ? integer : reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                throw new FormatException($"unexpected JSON token {reader.TokenType}");
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        bool => "a bool",
        long or double or System.Numerics.BigInteger => "a number",
        Dictionary<string, object?> => "a dict",
        object?[] => "a tuple",
        List<object?> => "a list",
        _ => value.GetType().Name,
    };

    /// <summary>A text field: strings as they are (trimmed, empty as null), numbers in invariant culture.</summary>
    public static string? Text(Dictionary<string, object?> record, string key)
    {
        if (!record.TryGetValue(key, out var value) || value is null) return null;
        var text = value switch
        {
            string s => s.Trim(),
            long n => n.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString(CultureInfo.InvariantCulture),
            _ => throw new FormatException($"field '{key}' should be text, found {Describe(value)}"),
        };
        return text.Length == 0 ? null : text;
    }

    /// <summary>A list of texts; nested lists are flattened in order, duplicates and blanks dropped.</summary>
    public static List<string> TextList(Dictionary<string, object?> record, string key)
    {
        var result = new List<string>();
        if (record.TryGetValue(key, out var value) && value is not null)
            Flatten(value, key, result);
        return result;
    }

    private static void Flatten(object value, string key, List<string> into)
    {
        switch (value)
        {
            case string s:
                var text = s.Trim();
                if (text.Length > 0 && !into.Contains(text, StringComparer.Ordinal)) into.Add(text);
                break;
            case IEnumerable<object?> items:
                foreach (var item in items)
                    if (item is not null)
                        Flatten(item, key, into);
                break;
            default:
                throw new FormatException($"field '{key}' should hold text, found {Describe(value)}");
        }
    }

    /// <summary>
    /// A price: a number, or text such as "$12.99" or "1,299.00". Text that names no single amount (a range, "Free to Play")
    /// yields null, or 0 when it says free.
    /// </summary>
    public static double? Price(Dictionary<string, object?> record, string key)
    {
        if (!record.TryGetValue(key, out var value) || value is null) return null;
        switch (value)
        {
            case long n: return n;
            case double d: return double.IsFinite(d) ? d : null;
            case string s:
                var text = s.Trim().TrimStart('$').Replace(",", "", StringComparison.Ordinal);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && double.IsFinite(amount))
                    return amount;
                return s.Contains("free", StringComparison.OrdinalIgnoreCase) ? 0 : null;
            default:
                throw new FormatException($"field '{key}' should be a price, found {Describe(value)}");
        }
    }
}
