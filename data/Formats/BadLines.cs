using System.Text;
using Mender.Data.Text;

namespace Mender.Data.Formats;

/// <summary>
/// The policy for a malformed line: fail with a message naming file, line number and a snippet, or (with skip) count it
/// in the <see cref="LoadReport"/> and go on.
/// </summary>
internal sealed class BadLines(string file, bool skip, LoadReport report)
{
    public void Handle(long lineNumber, ReadOnlySpan<byte> line, string reason)
    {
        var message = Describe(file, lineNumber, line, reason);
        if (!skip) throw new InvalidDataException(message);
        report.AddSkipped(message);
    }

    public static string Describe(string file, long lineNumber, ReadOnlySpan<byte> line, string reason) =>
        $"{file} line {lineNumber}: {reason} (line starts: \"{Snippet(line)}\")";

    /// <summary>The start of a line as printable text: control characters escaped, long lines cut with an ellipsis.</summary>
    public static string Snippet(ReadOnlySpan<byte> line) =>
        Excerpt.Of(Encoding.UTF8.GetString(line[..Math.Min(line.Length, Excerpt.DefaultLength * 4)]));
}
