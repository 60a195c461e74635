using System.Text;

namespace Mender.Data.Text;

/// <summary>
/// User-supplied text shortened for an error message: control characters escaped so the message stays on one line, and
/// anything longer than the limit cut, so that a 10 MB token does not make a 10 MB "one-line" error.
/// </summary>
public static class Excerpt
{
    /// <summary>The length of an excerpt inside a longer message.</summary>
    public const int DefaultLength = 80;

    /// <summary>The longest error line the CLI prints and the HTTP API puts in a problem's detail.</summary>
    public const int MaxMessageLength = 400;

    /// <summary>The start of <paramref name="text"/>, at most <paramref name="max"/> characters and "..." when cut.</summary>
    public static string Of(ReadOnlySpan<char> text, int max = DefaultLength)
    {
        var result = new StringBuilder(Math.Min(text.Length, max) + 3);
        foreach (var c in text)
        {
            if (result.Length >= max)
            {
                result.Append("...");
                break;
            }
            if (char.IsControl(c)) result.Append("\\u").Append(((int)c).ToString("x4"));
            else result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>
    /// A whole message on one line within <paramref name="max"/> characters: when too long, its start (which names the
    /// file or field) and its end (which says what is wrong) are kept around a marked cut.
    /// </summary>
    public static string Line(string message, int max)
    {
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (line.Length <= max) return line;
        const string cut = " [...] ";
        var tail = (max - cut.Length) / 3;
        return string.Concat(line.AsSpan(0, max - cut.Length - tail), cut, line.AsSpan(line.Length - tail));
    }
}
