using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Unicode;

namespace Mender.Data.Formats;

/// <summary>
/// A strict parser for one Python literal as <c>repr()</c> writes it, the line format of Amazon 2014 "meta" files and of
/// the Steam catalogue: dicts, lists, tuples, strings, integers, floats, True, False and None, nested to any reasonable
/// depth. Anything else (names, expressions, sets, triple-quoted strings) is an error naming the column and the text there.
/// </summary>
/// <remarks>
/// Results: dicts become <c>Dictionary&lt;string, object?&gt;</c> (integer keys are written in invariant culture; a repeated
/// key keeps its last value, as in Python), lists <c>List&lt;object?&gt;</c>, tuples <c>object?[]</c>, integers
/// <c>long</c> (or <see cref="BigInteger"/> beyond 64 bits), floats <c>double</c>.
/// <para>
/// Strings: <c>u''</c> strings are text, so <c>\xNN</c> is a code point. Unprefixed strings in these files come from
/// Python 2, where they are bytes and <c>'Caf\xc3\xa9'</c> is UTF-8; so an unprefixed string is read as bytes and decoded
/// as UTF-8 when it is valid UTF-8, and otherwise read again as text (Python 3's reading, where <c>'\xe9'</c> is é).
/// <c>b''</c> strings are bytes, decoded as UTF-8 when valid and as Latin-1 otherwise. Raw (<c>r''</c>) strings keep
/// their backslashes.
/// </para>
/// </remarks>
internal static partial class PythonLiteral
{
    public const int MaxDepth = 200;

    [ThreadStatic] private static byte[]? byteScratch;
    [ThreadStatic] private static char[]? charScratch;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static object? Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    public static object? Parse(ReadOnlySpan<byte> utf8)
    {
        var parser = new Parser(utf8);
        return parser.ParseDocument();
    }

    [Flags]
    private enum StringKind
    {
        Plain = 0,
        Unicode = 1,
        Bytes = 2,
        Raw = 4,
    }

    private ref partial struct Parser(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> s = text;
        private int pos;
        private byte[] bytes = byteScratch ??= new byte[256];
        private int byteCount;
        private char[] chars = charScratch ??= new char[256];
        private int charCount;

        public object? ParseDocument()
        {
            SkipWhitespace();
            if (pos >= s.Length) throw Error("empty input, expected a Python literal", pos);
            var value = ParseValue(0);
            SkipWhitespace();
            if (pos < s.Length) throw Error("unexpected text after the literal", pos);
            byteScratch = bytes;
            charScratch = chars;
            return value;
        }

        private object? ParseValue(int depth)
        {
            if (depth > MaxDepth) throw Error($"nesting deeper than {MaxDepth} levels", pos);
            if (pos >= s.Length) throw Error("unexpected end of input, expected a value", pos);
            var c = s[pos];
            switch (c)
            {
                case (byte)'{': return ParseDict(depth);
                case (byte)'[': return ParseList(depth);
                case (byte)'(': return ParseTuple(depth);
                case (byte)'\'' or (byte)'"': return ParseString(StringKind.Plain);
                case (byte)'-' or (byte)'+' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'): return ParseNumber();
            }
            if (IsNameStart(c)) return ParseNameOrPrefixedString();
            throw Error($"unexpected character '{Printable(c)}'", pos);
        }

        private Dictionary<string, object?> ParseDict(int depth)
        {
            var open = pos++;
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            SkipWhitespace();
            if (Peek() == '}')
            {
                pos++;
                return dict;
            }
            while (true)
            {
                SkipWhitespace();
                var keyAt = pos;
                var key = ParseValue(depth + 1) switch
                {
                    string text => text,
                    long number => number.ToString(CultureInfo.InvariantCulture),
                    BigInteger number => number.ToString(CultureInfo.InvariantCulture),
                    _ => throw Error("dict keys must be strings or integers", keyAt),
                };
                SkipWhitespace();
                if (Peek() != ':')
                    throw Error(Peek() is ',' or '}' ? "expected ':' after a dict key (set literals are not supported)" : "expected ':' after a dict key", pos);
                pos++;
                SkipWhitespace();
                dict[key] = ParseValue(depth + 1);
                if (EndOfCollection('}', "dict", open)) return dict;
            }
        }

        private List<object?> ParseList(int depth)
        {
            var open = pos++;
            var list = new List<object?>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                pos++;
                return list;
            }
            while (true)
            {
                SkipWhitespace();
                list.Add(ParseValue(depth + 1));
                if (EndOfCollection(']', "list", open)) return list;
            }
        }

        /// <summary>"(x)" is x in parentheses, "(x,)" and "(x, y)" are tuples, "()" is the empty tuple.</summary>
        private object? ParseTuple(int depth)
        {
            var open = pos++;
            SkipWhitespace();
            if (Peek() == ')')
            {
                pos++;
                return Array.Empty<object?>();
            }
            var first = ParseValue(depth + 1);
            SkipWhitespace();
            if (Peek() == ')')
            {
                pos++;
                return first;
            }
            var items = new List<object?> { first };
            if (EndOfCollection(')', "tuple", open)) return items.ToArray();
            while (true)
            {
                SkipWhitespace();
                items.Add(ParseValue(depth + 1));
                if (EndOfCollection(')', "tuple", open)) return items.ToArray();
            }
        }

        /// <summary>After an element: true at the closing bracket (a trailing comma allowed), false when another element follows.</summary>
        private bool EndOfCollection(char close, string what, int open)
        {
            SkipWhitespace();
            var c = Peek();
            if (c == ',')
            {
                pos++;
                SkipWhitespace();
                if (pos >= s.Length) throw Error($"unterminated {what} opened at column {open + 1}", pos);
                if (Peek() != close) return false;
                pos++;
                return true;
            }
            if (c == close)
            {
                pos++;
                return true;
            }
            if (pos >= s.Length) throw Error($"unterminated {what} opened at column {open + 1}", pos);
            throw Error($"expected ',' or '{close}' in a {what}", pos);
        }

        private object ParseNumber()
        {
            var start = pos;
            if (s[pos] is (byte)'-' or (byte)'+') pos++;
            var digitsStart = pos;
            var isFloat = false;
            SkipDigits();
            var intDigits = pos - digitsStart;
            if (Peek() == '.')
            {
                isFloat = true;
                pos++;
                var fractionStart = pos;
                SkipDigits();
                if (intDigits == 0 && pos == fractionStart) throw Error("expected digits in a number", start);
            }
            else if (intDigits == 0)
            {
                throw Error("expected digits in a number", start);
            }
            if (Peek() is 'e' or 'E')
            {
                isFloat = true;
                pos++;
                if (Peek() is '+' or '-') pos++;
                var exponentStart = pos;
                SkipDigits();
                if (pos == exponentStart) throw Error("expected digits in a number's exponent", start);
            }
            var end = pos;
            if (!isFloat && Peek() is 'L' or 'l') pos++;
            if (pos < s.Length && IsNameChar(s[pos]))
                throw Error($"unexpected character '{Printable(s[pos])}' after a number (only decimal literals are supported)", pos);

            var number = s[start..end];
            if (isFloat)
                return double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (intDigits > 1 && s[digitsStart] == '0')
                throw Error("integers with leading zeros are not valid literals", start);
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                return value;
            return BigInteger.Parse(Encoding.ASCII.GetString(number), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private object? ParseNameOrPrefixedString()
        {
            var start = pos;
            while (pos < s.Length && IsNameChar(s[pos])) pos++;
            var name = s[start..pos];
            if (pos < s.Length && s[pos] is (byte)'\'' or (byte)'"' && TryStringPrefix(name, out var kind))
                return ParseString(kind);
            if (name.SequenceEqual("True"u8)) return true;
            if (name.SequenceEqual("False"u8)) return false;
            if (name.SequenceEqual("None"u8)) return null;
            var text = Encoding.UTF8.GetString(name);
            var hint = text is "true" or "false" or "null" ? " (Python spells these True, False and None)" : "";
            throw Error($"unexpected name '{text}'{hint}", start);
        }

        private void SkipWhitespace()
        {
            while (pos < s.Length && s[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') pos++;
        }

        private void SkipDigits()
        {
            while (pos < s.Length && s[pos] is >= (byte)'0' and <= (byte)'9') pos++;
        }

        private readonly char Peek() => pos < s.Length ? (char)s[pos] : '\0';

        private static bool IsNameStart(byte c) => c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_';

        private static bool IsNameChar(byte c) => IsNameStart(c) || c is >= (byte)'0' and <= (byte)'9';

        private static string Printable(byte c) => c is >= 0x20 and < 0x7f ? ((char)c).ToString() : $"\\x{c:x2}";

        private readonly FormatException Error(string message, int at)
        {
            at = Math.Clamp(at, 0, s.Length);
            var from = Math.Max(0, at - 12);
            var to = Math.Min(s.Length, at + 28);
            var near = Encoding.UTF8.GetString(s[from..to]);
            var where = at >= s.Length ? "at the end" : $"at column {at + 1}";
            return new FormatException(
                $"{message} {where} (near \"{(from > 0 ? "..." : "")}{near}{(to < s.Length ? "..." : "")}\")");
        }
    }
}
