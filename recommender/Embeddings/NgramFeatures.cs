namespace Mender.Recommender.Embeddings;

/// <summary>
/// Turns text into hashed n-gram features: lower-cased word unigrams and bigrams (words are runs of letters and digits)
/// and character n-grams taken inside each word padded with one space on either side, so that prefixes and suffixes
/// are features of their own ("nail" gives " na", "nai", "ail", "il ", " nai", ...). Each feature is a 64-bit FNV-1a hash
/// of a kind tag and its characters; at catalogue scale a collision between two distinct features is vanishingly rare.
/// </summary>
internal static class NgramFeatures
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const char UnigramTag = '\u0001';
    private const char BigramTag = '\u0002';
    private const char CharTag = '\u0003';

    /// <summary>Appends the word features (unigrams, bigrams) and character features of <paramref name="text"/>, with repeats.</summary>
    public static void Extract(ReadOnlySpan<char> text, int minChar, int maxChar, List<ulong> words, List<ulong> chars)
    {
        Span<char> lowered = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        text.ToLowerInvariant(lowered);
        var previousStart = -1;
        var previousLength = 0;
        var i = 0;
        while (i < lowered.Length)
        {
            if (!char.IsLetterOrDigit(lowered[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < lowered.Length && char.IsLetterOrDigit(lowered[i])) i++;
            var word = lowered[start..i];
            words.Add(Hash(Hash(FnvOffset, UnigramTag), word));
            if (previousStart >= 0)
            {
                var h = Hash(Hash(FnvOffset, BigramTag), lowered.Slice(previousStart, previousLength));
                words.Add(Hash(Hash(h, ' '), word));
            }
            previousStart = start;
            previousLength = word.Length;
            AddCharGrams(word, minChar, maxChar, chars);
        }
    }

    private static void AddCharGrams(ReadOnlySpan<char> word, int minChar, int maxChar, List<ulong> chars)
    {
        // The padded word is " word "; position p of it is a space at both ends and word[p - 1] inside.
        var padded = word.Length + 2;
        for (var n = minChar; n <= maxChar; n++)
        {
            if (n > padded) break;
            for (var start = 0; start + n <= padded; start++)
            {
                var h = Hash(FnvOffset, CharTag);
                for (var p = start; p < start + n; p++)
                    h = Hash(h, p == 0 || p == padded - 1 ? ' ' : word[p - 1]);
                chars.Add(h);
            }
        }
    }

    private static ulong Hash(ulong h, char c)
    {
        h = (h ^ (byte)c) * FnvPrime;
        return (h ^ (byte)(c >> 8)) * FnvPrime;
    }

    private static ulong Hash(ulong h, ReadOnlySpan<char> s)
    {
        foreach (var c in s) h = Hash(h, c);
        return h;
    }
}
