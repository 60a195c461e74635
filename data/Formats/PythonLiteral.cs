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
internal static class PythonLiteral
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

    private ref struct Parser(ReadOnlySpan<byte> text)
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

        private static bool TryStringPrefix(ReadOnlySpan<byte> name, out StringKind kind)
        {
            kind = StringKind.Plain;
            if (name.Length > 2) return false;
            foreach (var b in name)
            {
                var flag = (b | 0x20) switch
                {
                    'u' => StringKind.Unicode,
                    'b' => StringKind.Bytes,
                    'r' => StringKind.Raw,
                    _ => (StringKind)(-1),
                };
                if (flag < 0 || (kind & flag) != 0) return false;
                kind |= flag;
            }
            return (kind & (StringKind.Unicode | StringKind.Bytes)) != (StringKind.Unicode | StringKind.Bytes);
        }

        private string ParseString(StringKind kind)
        {
            var open = pos;
            var quote = s[pos];
            if (pos + 2 < s.Length && s[pos + 1] == quote && s[pos + 2] == quote)
                throw Error("triple-quoted strings are not supported", pos);
            pos++;
            var bodyStart = pos;
            if ((kind & StringKind.Raw) != 0) return ParseRawBody(quote, open);
            if ((kind & StringKind.Unicode) != 0) return ParseTextBody(quote, open);
            var bytesOnly = (kind & StringKind.Bytes) != 0;
            if (ParseBytesBody(quote, open, unicodeEscapes: !bytesOnly))
            {
                var content = bytes.AsSpan(0, byteCount);
                if (Utf8.IsValid(content)) return Encoding.UTF8.GetString(content);
                if (bytesOnly) return Encoding.Latin1.GetString(content);
            }
            pos = bodyStart;
            return ParseTextBody(quote, open);
        }

        private string ParseRawBody(byte quote, int open)
        {
            var start = pos;
            while (true)
            {
                if (pos >= s.Length || s[pos] == '\n') throw Error("unterminated string", open);
                var b = s[pos];
                if (b == quote) break;
                pos += b == '\\' && pos + 1 < s.Length ? 2 : 1;
            }
            var body = s[start..pos];
            pos++;
            return Decode(body, start);
        }

        /// <summary>Reads a string body as bytes. False when it holds an escape that only text can represent.</summary>
        private bool ParseBytesBody(byte quote, int open, bool unicodeEscapes)
        {
            byteCount = 0;
            while (true)
            {
                var rest = s[pos..];
                var stop = rest.IndexOfAny(quote, (byte)'\\', (byte)'\n');
                if (stop < 0 || rest[stop] == '\n') throw Error("unterminated string", open);
                AppendBytes(rest[..stop]);
                pos += stop;
                if (s[pos] == quote)
                {
                    pos++;
                    return true;
                }
                var escapeAt = pos++;
                if (pos >= s.Length) throw Error("unterminated string", open);
                var e = s[pos];
                switch (e)
                {
                    case (byte)'\n': pos++; break;
                    case (byte)'x': AppendByte((byte)ReadHex(2, escapeAt)); break;
                    case >= (byte)'0' and <= (byte)'7':
                        var octal = ReadOctal();
                        if (octal > 0xFF)
                        {
                            if (!unicodeEscapes) throw Error("octal escape out of range for bytes", escapeAt);
                            return false;
                        }
                        AppendByte((byte)octal);
                        break;
                    case (byte)'u' or (byte)'U' when unicodeEscapes:
                        var codePoint = ReadHex(e == 'u' ? 4 : 8, escapeAt);
                        if (codePoint > 0x10FFFF) throw Error("\\U escape beyond U+10FFFF", escapeAt);
                        if (codePoint is >= 0xD800 and <= 0xDFFF) return false;
                        AppendRune(new Rune(codePoint));
                        break;
                    case (byte)'N' when unicodeEscapes: throw Error("\\N{...} escapes are not supported", escapeAt);
                    default:
                        if (SimpleEscape(e) is { } simple)
                        {
                            AppendByte((byte)simple);
                            pos++;
                        }
                        else
                        {
                            // Python keeps unknown escapes as written; the character after the backslash is read normally.
                            AppendByte((byte)'\\');
                        }
                        break;
                }
            }
        }

        private string ParseTextBody(byte quote, int open)
        {
            charCount = 0;
            while (true)
            {
                var rest = s[pos..];
                var stop = rest.IndexOfAny(quote, (byte)'\\', (byte)'\n');
                if (stop < 0 || rest[stop] == '\n') throw Error("unterminated string", open);
                AppendText(rest[..stop], pos);
                pos += stop;
                if (s[pos] == quote)
                {
                    pos++;
                    return new string(chars, 0, charCount);
                }
                var escapeAt = pos++;
                if (pos >= s.Length) throw Error("unterminated string", open);
                var e = s[pos];
                switch (e)
                {
                    case (byte)'\n': pos++; break;
                    case (byte)'x': AppendChar((char)ReadHex(2, escapeAt)); break;
                    case >= (byte)'0' and <= (byte)'7': AppendChar((char)ReadOctal()); break;
                    case (byte)'u': AppendChar((char)ReadHex(4, escapeAt)); break;
                    case (byte)'U':
                        var codePoint = ReadHex(8, escapeAt);
                        if (codePoint > 0x10FFFF) throw Error("\\U escape beyond U+10FFFF", escapeAt);
                        if (codePoint <= 0xFFFF)
                        {
                            AppendChar((char)codePoint);
                        }
                        else
                        {
                            AppendChar((char)(0xD800 + ((codePoint - 0x10000) >> 10)));
                            AppendChar((char)(0xDC00 + ((codePoint - 0x10000) & 0x3FF)));
                        }
                        break;
                    case (byte)'N': throw Error("\\N{...} escapes are not supported", escapeAt);
                    default:
                        if (SimpleEscape(e) is { } simple)
                        {
                            AppendChar(simple);
                            pos++;
                        }
                        else
                        {
                            AppendChar('\\');
                        }
                        break;
                }
            }
        }

        private static char? SimpleEscape(byte e) => e switch
        {
            (byte)'\\' => '\\',
            (byte)'\'' => '\'',
            (byte)'"' => '"',
            (byte)'a' => '\a',
            (byte)'b' => '\b',
            (byte)'f' => '\f',
            (byte)'n' => '\n',
            (byte)'r' => '\r',
            (byte)'t' => '\t',
            (byte)'v' => '\v',
            _ => null,
        };

        /// <summary>Reads exactly <paramref name="count"/> hex digits after the escape letter at pos.</summary>
        private int ReadHex(int count, int escapeAt)
        {
            pos++;
            var value = 0;
            for (var i = 0; i < count; i++, pos++)
            {
                var digit = pos < s.Length ? HexValue(s[pos]) : -1;
                if (digit < 0)
                    throw Error($"truncated \\{(char)s[escapeAt + 1]} escape: expected {count} hex digits", escapeAt);
                value = (value << 4) | digit;
            }
            return value < 0 ? int.MaxValue : value;
        }

        private int ReadOctal()
        {
            var value = 0;
            for (var i = 0; i < 3 && pos < s.Length && s[pos] is >= (byte)'0' and <= (byte)'7'; i++, pos++)
                value = value * 8 + (s[pos] - '0');
            return value;
        }

        private static int HexValue(byte b) => b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };

        private string Decode(ReadOnlySpan<byte> utf8, int at)
        {
            try
            {
                return StrictUtf8.GetString(utf8);
            }
            catch (DecoderFallbackException)
            {
                throw Error("invalid UTF-8 in a string", at);
            }
        }

        private void AppendByte(byte b)
        {
            if (byteCount == bytes.Length) Array.Resize(ref bytes, bytes.Length * 2);
            bytes[byteCount++] = b;
        }

        private void AppendBytes(ReadOnlySpan<byte> run)
        {
            if (byteCount + run.Length > bytes.Length)
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, byteCount + run.Length));
            run.CopyTo(bytes.AsSpan(byteCount));
            byteCount += run.Length;
        }

        private void AppendRune(Rune rune)
        {
            if (byteCount + 4 > bytes.Length) Array.Resize(ref bytes, bytes.Length * 2);
            byteCount += rune.EncodeToUtf8(bytes.AsSpan(byteCount));
        }

        private void AppendChar(char c)
        {
            if (charCount == chars.Length) Array.Resize(ref chars, chars.Length * 2);
            chars[charCount++] = c;
        }

        private void AppendText(ReadOnlySpan<byte> utf8, int at)
        {
            if (utf8.IsEmpty) return;
            // UTF-8 never yields more UTF-16 units than bytes.
            if (charCount + utf8.Length > chars.Length)
                Array.Resize(ref chars, Math.Max(chars.Length * 2, charCount + utf8.Length));
            try
            {
                charCount += StrictUtf8.GetChars(utf8, chars.AsSpan(charCount));
            }
            catch (DecoderFallbackException)
            {
                throw Error("invalid UTF-8 in a string", at);
            }
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
