namespace Mender.Llm.Tokenizers;

/// <summary>One piece of input after special tokens are cut out: either a token id or a run of plain text.</summary>
internal readonly record struct TextFragment(int Token, int Start, int Length)
{
    public bool IsToken => Token >= 0;

    public static TextFragment Text(int start, int length) => new(-1, start, length);
}

/// <summary>
/// Cuts special tokens out of the input before the tokenizer proper sees it, longest token text first. User-defined tokens
/// are always cut out; control and unknown tokens only when the caller asks to parse special tokens (prompts built from
/// chat templates), so that untrusted text cannot inject e.g. an end-of-turn marker; and never inside the
/// <c>literal</c> ranges (message contents within a rendered chat prompt).
/// </summary>
internal static class SpecialTokenSplitter
{
    public static List<TextFragment> Split(Vocabulary vocab, string text, bool parseSpecial,
        IReadOnlyList<(int Start, int Length)>? literal = null)
    {
        var fragments = new List<TextFragment>();
        if (text.Length == 0) return fragments;
        fragments.Add(TextFragment.Text(0, text.Length));
        foreach (var id in vocab.SpecialTokensLongestFirst)
        {
            var attr = vocab.Attributes[id];
            if (!parseSpecial && (attr & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0)
                continue;
            var needle = vocab.Tokens[id];
            var onlyOutsideLiterals = literal is not null && (attr & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0;
            for (var f = 0; f < fragments.Count; f++)
            {
                var fragment = fragments[f];
                if (fragment.IsToken) continue;
                var at = Find(text, fragment, needle, onlyOutsideLiterals ? literal : null);
                if (at < 0) continue;

                var replacement = new List<TextFragment>(3);
                var leftLength = at;
                if ((attr & TokenAttributes.StripLeft) != 0)
                    while (leftLength > 0 && IsAsciiSpace(text[fragment.Start + leftLength - 1])) leftLength--;
                if (leftLength > 0) replacement.Add(TextFragment.Text(fragment.Start, leftLength));
                replacement.Add(new TextFragment(id, 0, 0));
                var rightStart = fragment.Start + at + needle.Length;
                var rightEnd = fragment.Start + fragment.Length;
                if ((attr & TokenAttributes.StripRight) != 0)
                    while (rightStart < rightEnd && IsAsciiSpace(text[rightStart])) rightStart++;
                if (rightStart < rightEnd) replacement.Add(TextFragment.Text(rightStart, rightEnd - rightStart));

                fragments.RemoveAt(f);
                fragments.InsertRange(f, replacement);
                // Continue with the right-hand remainder, which may hold more occurrences of the same token.
                f += replacement.Count - (rightStart < rightEnd ? 2 : 1);
            }
        }
        return fragments;
    }

    /// <summary>The first occurrence of <paramref name="needle"/> in the fragment that overlaps no literal range (relative to the fragment).</summary>
    private static int Find(string text, TextFragment fragment, string needle, IReadOnlyList<(int Start, int Length)>? literal)
    {
        var span = text.AsSpan(fragment.Start, fragment.Length);
        for (var from = 0; from < span.Length;)
        {
            var at = span[from..].IndexOf(needle, StringComparison.Ordinal);
            if (at < 0) return -1;
            at += from;
            var start = fragment.Start + at;
            if (literal is null || !literal.Any(r => start < r.Start + r.Length && r.Start < start + needle.Length))
                return at;
            from = at + 1;
        }
        return -1;
    }

    private static bool IsAsciiSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
