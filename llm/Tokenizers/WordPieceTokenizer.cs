using System.Text;

namespace Mender.Llm.Tokenizers;

/// <summary>
/// WordPiece (BERT) as llama.cpp runs it: normalize (lower-case, strip accents), split on white space and punctuation,
/// then cover each word, prefixed with "▁", by the longest vocabulary tokens from left to right; a word that cannot be
/// covered becomes the unknown token.
/// </summary>
internal sealed class WordPieceTokenizer(Vocabulary vocabulary) : Tokenizer(vocabulary)
{
    protected override void EncodeText(string text, bool afterSpecial, List<int> output)
    {
        var v = Vocabulary;
        foreach (var word in Words(text, v.Lowercase))
        {
            var phantom = "\u2581" + word;
            var before = output.Count;
            for (var i = 0; i < phantom.Length; i++)
            {
                var matched = false;
                for (var j = Math.Min(phantom.Length, i + v.MaxTokenLength + 1); j > i; j--)
                {
                    var id = v.TokenId(phantom.AsSpan(i, j - i));
                    if (id < 0) continue;
                    output.Add(id);
                    matched = true;
                    i = j - 1;
                    break;
                }
                if (!matched)
                {
                    output.RemoveRange(before, output.Count - before);
                    break;
                }
            }
            if (output.Count == before && v.Unknown >= 0)
                output.Add(v.Unknown);
        }
    }

    private static List<string> Words(string text, bool normalize)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        void Finish()
        {
            if (current.Length == 0) return;
            words.Add(current.ToString());
            current.Clear();
        }

        foreach (var original in UnicodeClass.CodePoints(text))
        {
            var cp = normalize ? UnicodeClass.FirstOfDecomposition(original) : original;
            if (UnicodeClass.IsWhiteSpace(cp))
            {
                Finish();
                continue;
            }
            var kind = UnicodeClass.Of(cp);
            if (cp == 0 || cp == 0xFFFD || kind == UnicodeClassKind.Control) continue;
            if (normalize && kind == UnicodeClassKind.Mark) continue;
            var rune = new Rune(normalize ? UnicodeClass.ToLower(cp) : cp);
            if (kind == UnicodeClassKind.Punctuation || (cp < 0x7F && kind == UnicodeClassKind.Symbol) || IsChineseCharacter(cp))
            {
                Finish();
                words.Add(rune.ToString());
            }
            else
                current.Append(rune.ToString());
        }
        Finish();
        return words;
    }

    /// <summary>The CJK blocks BERT's tokenizer splits into single characters (ranges as in the original BERT code).</summary>
    private static bool IsChineseCharacter(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B920 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
