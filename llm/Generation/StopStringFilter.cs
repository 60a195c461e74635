using System.Text;

namespace Mender.Llm.Generation;

/// <summary>
/// Passes generated text through while watching for stop strings: text that might be the start of a stop string is
/// held back until it is clear, and on a match everything from the stop string on is dropped.
/// </summary>
internal sealed class StopStringFilter(IReadOnlyList<string> stopStrings)
{
    private readonly string[] stops = stopStrings.Where(s => s.Length > 0).ToArray();
    private readonly StringBuilder held = new();

    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns the part that can be output now.</summary>
    public string Push(string text)
    {
        if (Stopped) return "";
        if (stops.Length == 0) return text;
        this.held.Append(text);
        var held = this.held.ToString();
        var first = -1;
        foreach (var stop in stops)
        {
            var at = held.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        if (first >= 0)
        {
            Stopped = true;
            this.held.Clear();
            return held[..first];
        }
        var keep = 0;
        foreach (var stop in stops)
            for (var n = Math.Min(stop.Length - 1, held.Length); n > keep; n--)
                if (held.AsSpan(held.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                {
                    keep = n;
                    break;
                }
        this.held.Remove(0, held.Length - keep);
        return held[..^keep];
    }

    /// <summary>The held-back text, at the end of generation.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : this.held.ToString();
        this.held.Clear();
        return rest;
    }
}
