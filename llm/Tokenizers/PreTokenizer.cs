using System.Text;
using System.Text.RegularExpressions;

namespace Mender.Llm.Tokenizers;

/// <summary>
/// Splits text into words before byte-level BPE, by a sequence of regular expressions: each one splits every piece the
/// previous ones produced into its matches and the text between them.
/// </summary>
/// <remarks>
/// The expressions are written with Unicode classes (\p{L}, \p{N}, ...) the way tokenizer.json spells them. Like llama.cpp,
/// we run them over a projection of the text with exactly one UTF-16 unit per code point: for expressions that use Unicode
/// classes every non-ASCII code point becomes a stand-in character for its class (and non-ASCII white space becomes \v);
/// the others see the code points themselves. Matching the projection rather than the UTF-16 text keeps surrogate pairs
/// whole and reproduces llama.cpp's splits, which the tokenizer test vectors depend on.
/// </remarks>
internal sealed class PreTokenizer
{
    private const char StandInUndefined = '\u00D0';
    private const char StandInNumber = '\u00D1';
    private const char StandInLetter = '\u00D2';
    private const char StandInPunctuation = '\u00D3';
    private const char StandInMark = '\u00D4';
    private const char StandInSymbol = '\u00D5';

    /// <summary>In literal-mode projections: a supplementary code point the expression's classes name.</summary>
    private const char StandInListedSupplementary = '\uE000';

    /// <summary>In literal-mode projections: a private-use or supplementary code point no class names.</summary>
    private const char StandInOther = '\uFFFE';

    private static readonly Dictionary<string, string> ClassExpansions = new(StringComparer.Ordinal)
    {
        [@"\p{N}"] = StandInNumber + "0-9",
        [@"\p{L}"] = StandInLetter + "A-Za-z",
        [@"\p{Lu}"] = StandInLetter + "A-Za-z",
        [@"\p{Ll}"] = StandInLetter + "A-Za-z",
        [@"\p{Lt}"] = StandInLetter + "A-Za-z",
        [@"\p{Lm}"] = StandInLetter + "A-Za-z",
        [@"\p{Lo}"] = StandInLetter + "A-Za-z",
        [@"\p{P}"] = StandInPunctuation + @"!-#%-*,-/:-;?-@\[-\]_\{\}",
        [@"\p{M}"] = StandInMark.ToString(),
        [@"\p{S}"] = StandInSymbol + @"\$\+<->\^`\|",
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PreTokenizer> Compiled = new(StringComparer.Ordinal);

    private readonly Stage[] _stages;

    private sealed record Stage(Regex Regex, bool ByClass, (int First, int Last)[] ListedSupplementary);

    private PreTokenizer(Stage[] stages) => _stages = stages;

    /// <summary>
    /// The pre-tokenizer of expressions in tokenizer.json syntax, applied in order. Compiled expressions are shared by
    /// every tokenizer that uses the same ones (they are immutable and thread-safe).
    /// </summary>
    public static PreTokenizer FromPatterns(params string[] patterns) =>
        Compiled.GetOrAdd(string.Join('\0', patterns), _ => new PreTokenizer(patterns.Select(Compile).ToArray()));

    /// <summary>Splits <paramref name="codePoints"/> into words, appended to <paramref name="words"/> as (start, length).</summary>
    public void Split(ReadOnlySpan<int> codePoints, List<(int Start, int Length)> words)
    {
        var pieces = new List<(int Start, int Length)> { (0, codePoints.Length) };
        var next = new List<(int Start, int Length)>();
        char[]? byClass = null;
        var literal = new char[codePoints.Length];
        foreach (var stage in _stages)
        {
            char[] projection;
            if (stage.ByClass)
                projection = byClass ??= ProjectByClass(codePoints);
            else
            {
                ProjectLiterally(codePoints, stage.ListedSupplementary, literal);
                projection = literal;
            }
            next.Clear();
            foreach (var (start, length) in pieces)
            {
                var piece = projection.AsSpan(start, length);
                var done = 0;
                foreach (var match in stage.Regex.EnumerateMatches(piece))
                {
                    if (match.Index > done) next.Add((start + done, match.Index - done));
                    if (match.Length > 0) next.Add((start + match.Index, match.Length));
                    done = match.Index + match.Length;
                }
                if (done < length) next.Add((start + done, length - done));
            }
            (pieces, next) = (next, pieces);
        }
        words.AddRange(pieces);
    }

    private static char[] ProjectByClass(ReadOnlySpan<int> codePoints)
    {
        var result = new char[codePoints.Length];
        for (var i = 0; i < codePoints.Length; i++)
        {
            var cp = codePoints[i];
            result[i] = cp < 128 ? (char)cp
                : UnicodeClass.IsWhiteSpace(cp) ? '\v'
                : UnicodeClass.Of(cp) switch
                {
                    UnicodeClassKind.Number => StandInNumber,
                    UnicodeClassKind.Letter => StandInLetter,
                    UnicodeClassKind.Punctuation => StandInPunctuation,
                    UnicodeClassKind.Mark => StandInMark,
                    UnicodeClassKind.Symbol => StandInSymbol,
                    _ => StandInUndefined,
                };
        }
        return result;
    }

    private static void ProjectLiterally(ReadOnlySpan<int> codePoints, (int First, int Last)[] listed, char[] result)
    {
        for (var i = 0; i < codePoints.Length; i++)
        {
            var cp = codePoints[i];
            if (cp < 128) result[i] = (char)cp;
            else if (UnicodeClass.IsWhiteSpace(cp)) result[i] = '\v';
            else if (cp > 0xFFFF) result[i] = IsListed(cp, listed) ? StandInListedSupplementary : StandInOther;
            else if (cp is >= 0xE000 and <= 0xF8FF) result[i] = StandInOther;
            else result[i] = (char)cp;
        }
    }

    private static bool IsListed(int cp, (int First, int Last)[] listed)
    {
        foreach (var (first, last) in listed)
            if (cp >= first && cp <= last) return true;
        return false;
    }

    private static Stage Compile(string pattern)
    {
        var byClass = ClassExpansions.Keys.Any(pattern.Contains);
        var listed = new List<(int, int)>();
        var translated = byClass ? ExpandClasses(pattern) : TranslateLiteral(pattern, listed);
        var regex = new Regex(translated, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        return new Stage(regex, byClass, listed.ToArray());
    }

    /// <summary>Replaces each \p{..} by the ASCII members of its class plus the class's stand-in character.</summary>
    private static string ExpandClasses(string pattern)
    {
        var sb = new StringBuilder();
        var insideClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] != 'p')
            {
                sb.Append(c).Append(pattern[i + 1]);
                i++;
                continue;
            }
            if (c == '[' && !insideClass)
            {
                insideClass = true;
                sb.Append(c);
                continue;
            }
            if (c == ']' && insideClass)
            {
                insideClass = false;
                sb.Append(c);
                continue;
            }
            if (c == '\\')
            {
                var close = pattern.IndexOf('}', i);
                var name = close < 0 ? "" : pattern[i..(close + 1)];
                if (!ClassExpansions.TryGetValue(name, out var members))
                    throw new ArgumentException($"pre-tokenizer pattern uses an unsupported class '{name}'");
                sb.Append(insideClass ? members : "[" + members + "]");
                i = close;
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Makes an expression without Unicode classes fit the literal projection: supplementary code points in character
    /// classes become <see cref="StandInListedSupplementary"/> (their ranges are recorded), and a final $ becomes \z
    /// (in .NET $ also matches before a final newline).
    /// </summary>
    private static string TranslateLiteral(string pattern, List<(int, int)> listed)
    {
        var runes = pattern.EnumerateRunes().ToArray();
        var sb = new StringBuilder();
        var listedInClass = false;
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            if (r.Value == '\\' && i + 1 < runes.Length)
            {
                sb.Append('\\').Append(runes[i + 1].ToString());
                i++;
                continue;
            }
            if (r.Value == ']' && listedInClass)
            {
                sb.Append(StandInListedSupplementary);
                listedInClass = false;
            }
            if (r.Value > 0xFFFF)
            {
                var last = r.Value;
                if (i + 2 < runes.Length && runes[i + 1].Value == '-')
                {
                    last = runes[i + 2].Value;
                    i += 2;
                }
                listed.Add((r.Value, last));
                listedInClass = true;
                continue;
            }
            if (r.Value == '$' && i == runes.Length - 1)
            {
                sb.Append(@"\z");
                continue;
            }
            sb.Append(r.ToString());
        }
        return sb.ToString();
    }
}
