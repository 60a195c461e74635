namespace Mender.Preference.Lexicon;

/// <summary>
/// Finds lexicon phrases (one or more words) in a token sequence, longest phrase first at each position and without
/// overlaps, so that "oily skin" is read as a skin type and never as the texture word "oily".
/// </summary>
internal sealed class PhraseMatcher<T>
{
    private readonly Dictionary<string, List<(string[] Words, T Value)>> byFirstWord = new(StringComparer.Ordinal);

    public void Add(string phrase, T value)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new ArgumentException("empty lexicon phrase", nameof(phrase));
        if (!byFirstWord.TryGetValue(words[0], out var list))
            byFirstWord[words[0]] = list = [];
        list.Add((words, value));
        list.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
    }

    public readonly record struct Match(int Start, int Length, T Value)
    {
        public int End => Start + Length;
    }

    /// <summary>All non-overlapping matches, left to right. Values registered under the same phrase all come back.</summary>
    public List<Match> Matches(string[] tokens)
    {
        var matches = new List<Match>();
        for (var i = 0; i < tokens.Length;)
        {
            var length = 0;
            if (byFirstWord.TryGetValue(tokens[i], out var candidates))
            {
                foreach (var (words, value) in candidates)
                {
                    if (length > words.Length) break;
                    if (!Fits(tokens, i, words)) continue;
                    length = words.Length;
                    matches.Add(new Match(i, length, value));
                }
            }
            i += Math.Max(1, length);
        }
        return matches;
    }

    private static bool Fits(string[] tokens, int at, string[] words)
    {
        if (at + words.Length > tokens.Length) return false;
        for (var k = 1; k < words.Length; k++)
            if (!string.Equals(tokens[at + k], words[k], StringComparison.Ordinal))
                return false;
        return true;
    }
}
