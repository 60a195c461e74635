using System.Globalization;
using System.Text;

namespace Mender.Llm.Tokenizers;

/// <summary>The coarse Unicode classes the pre-tokenizers and WordPiece test, as llama.cpp groups general categories.</summary>
internal enum UnicodeClassKind : byte
{
    Undefined,
    Number,
    Letter,
    Separator,
    Mark,
    Punctuation,
    Symbol,
    Control,
}

/// <summary>Classification of code points: general-category group, White_Space, lower-casing, first NFD code point.</summary>
internal static class UnicodeClass
{
    public static UnicodeClassKind Of(int codePoint)
    {
        if ((uint)codePoint > 0x10FFFF) return UnicodeClassKind.Undefined;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => UnicodeClassKind.Letter,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => UnicodeClassKind.Mark,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => UnicodeClassKind.Number,
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => UnicodeClassKind.Separator,
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse => UnicodeClassKind.Control,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => UnicodeClassKind.Punctuation,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => UnicodeClassKind.Symbol,
            _ => UnicodeClassKind.Undefined,
        };
    }

    /// <summary>The Unicode White_Space property (which char.IsWhiteSpace implements; no supplementary code point has it).</summary>
    public static bool IsWhiteSpace(int codePoint) => codePoint <= 0xFFFF && char.IsWhiteSpace((char)codePoint);

    public static int ToLower(int codePoint) =>
        Rune.IsValid(codePoint) ? Rune.ToLowerInvariant(new Rune(codePoint)).Value : codePoint;

    /// <summary>The first code point of the canonical decomposition (the base letter of an accented letter).</summary>
    public static int FirstOfDecomposition(int codePoint)
    {
        var ranges = UnicodeDecompositionTable.Ranges;
        int lo = 0, hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (codePoint < ranges[mid * 3]) hi = mid - 1;
            else if (codePoint > ranges[mid * 3 + 1]) lo = mid + 1;
            else return ranges[mid * 3 + 2];
        }
        return codePoint;
    }

    /// <summary>
    /// The code points of a string; unpaired surrogates become U+FFFD, as llama.cpp turns invalid UTF-8 into U+FFFD.
    /// </summary>
    public static int[] CodePoints(ReadOnlySpan<char> text)
    {
        var result = new int[text.Length];
        var n = 0;
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var used) != System.Buffers.OperationStatus.Done)
                rune = Rune.ReplacementChar;
            result[n++] = rune.Value;
            i += used;
        }
        return n == result.Length ? result : result[..n];
    }
}
