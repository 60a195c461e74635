using System.Text;
using System.Text.Unicode;

namespace Mender.Data.Formats;

// The string literals: prefixes, quotes, escapes and the decoding of byte strings, apart from the rest of the grammar.
internal static partial class PythonLiteral
{
    private ref partial struct Parser
    {
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
    }
}
