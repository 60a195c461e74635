namespace Mender.Llm.Tokenizers;

/// <summary>
/// GPT-2's byte-to-character table: byte-level BPE vocabularies spell every byte as a printable character, the printable
/// Latin-1 bytes as themselves and the remaining 68 bytes as U+0100 onwards, in byte order.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly short[] CharToByte = Invert(ByteToChar);

    public static char Encode(byte b) => ByteToChar[b];

    /// <summary>The byte a character stands for, or -1 if the character is not in the alphabet.</summary>
    public static int Decode(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= 0x21 and <= 0x7E or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static short[] Invert(char[] table)
    {
        var inverse = new short[324];
        Array.Fill(inverse, (short)-1);
        for (var b = 0; b < 256; b++) inverse[table[b]] = (short)b;
        return inverse;
    }
}
