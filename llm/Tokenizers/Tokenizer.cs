using System.Text;
using Mender.Llm.Gguf;

namespace Mender.Llm.Tokenizers;

/// <summary>
/// Text to token ids and back, for the tokenizer a GGUF file describes. Encoding cuts special tokens out first, then
/// hands each run of plain text to the algorithm (<see cref="EncodeText"/>); BOS/EOS are added as the metadata says.
/// </summary>
internal abstract class Tokenizer
{
    private readonly byte[][] _pieces;

    protected Tokenizer(Vocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        _pieces = new byte[vocabulary.Count][];
        for (var id = 0; id < _pieces.Length; id++)
            _pieces[id] = vocabulary.PieceBytes(id, renderSpecial: true);
    }

    public Vocabulary Vocabulary { get; }

    public int VocabularySize => Vocabulary.Count;

    public static Tokenizer FromGguf(GgufFile file)
    {
        var vocabulary = Vocabulary.FromGguf(file);
        return vocabulary.Kind switch
        {
            TokenizerKind.SentencePiece => new SentencePieceTokenizer(vocabulary),
            TokenizerKind.BytePair => new BytePairTokenizer(vocabulary, file),
            _ => new WordPieceTokenizer(vocabulary),
        };
    }

    /// <summary>
    /// Encodes text. <paramref name="addSpecial"/> adds BOS/EOS (CLS/SEP for WordPiece) as the vocabulary asks;
    /// <paramref name="parseSpecial"/> lets control-token texts in the input (e.g. "&lt;|im_start|&gt;") become those tokens.
    /// </summary>
    public int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        var output = new List<int>();
        Encode(text, output, addSpecial, parseSpecial);
        return output.ToArray();
    }

    /// <summary>
    /// Encodes text into <paramref name="output"/>. With <paramref name="parseSpecial"/>, control tokens inside the
    /// <paramref name="literal"/> ranges stay text: a rendered chat prompt passes its message contents there, so that
    /// a message cannot forge the template's markers.
    /// </summary>
    public void Encode(string text, List<int> output, bool addSpecial = true, bool parseSpecial = false,
        IReadOnlyList<(int Start, int Length)>? literal = null)
    {
        var v = Vocabulary;
        var wordPiece = v.Kind == TokenizerKind.WordPiece;
        if (addSpecial && (v.AddBos || wordPiece) && v.Bos >= 0)
            output.Add(v.Bos);
        var afterSpecial = true;
        foreach (var fragment in SpecialTokenSplitter.Split(v, text, parseSpecial, literal))
        {
            if (fragment.IsToken)
            {
                output.Add(fragment.Token);
                afterSpecial = true;
            }
            else
            {
                EncodeText(text.Substring(fragment.Start, fragment.Length), afterSpecial, output);
                afterSpecial = false;
            }
        }
        if (addSpecial && wordPiece && v.Separator >= 0)
            output.Add(v.Separator);
        else if (addSpecial && !wordPiece && v.AddEos && v.Eos >= 0)
            output.Add(v.Eos);
    }

    /// <summary>Encodes plain text (no special tokens in it); <paramref name="afterSpecial"/> says it starts the input or follows a special token.</summary>
    protected abstract void EncodeText(string text, bool afterSpecial, List<int> output);

    public bool IsEndOfGeneration(int token) => Vocabulary.EndOfGeneration.Contains(token);

    /// <summary>
    /// The bytes of one token as it appears in generated text: control tokens render as nothing unless
    /// <paramref name="renderSpecial"/> is set. May be part of a multi-byte UTF-8 character.
    /// </summary>
    public ReadOnlySpan<byte> TokenBytes(int token, bool renderSpecial = false)
    {
        if ((uint)token >= (uint)_pieces.Length)
            throw new ArgumentOutOfRangeException(nameof(token), $"token {token} is outside the vocabulary of {_pieces.Length}");
        if (!renderSpecial && (Vocabulary.Attributes[token] & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0)
            return [];
        return _pieces[token];
    }

    /// <summary>
    /// Decodes tokens to text. <paramref name="removeSpecial"/> drops a leading BOS / trailing EOS that the vocabulary
    /// adds itself; <paramref name="renderSpecial"/> renders control tokens as their text.
    /// </summary>
    public string Decode(ReadOnlySpan<int> tokens, bool removeSpecial = false, bool renderSpecial = false)
    {
        var v = Vocabulary;
        var removeSpace = v.AddSpacePrefix;
        if (removeSpecial && v.AddBos && tokens.Length > 0 && tokens[0] == v.Bos)
        {
            removeSpace = false;
            tokens = tokens[1..];
        }
        if (removeSpecial && v.AddEos && tokens.Length > 0 && tokens[^1] == v.Eos)
            tokens = tokens[..^1];

        var bytes = new List<byte>(tokens.Length * 4);
        foreach (var token in tokens)
        {
            var piece = TokenBytes(token, renderSpecial);
            // SentencePiece puts a space before the first word; the first token loses it again.
            if (removeSpace && piece.Length > 0 && piece[0] == (byte)' ')
                piece = piece[1..];
            removeSpace = false;
            foreach (var b in piece) bytes.Add(b);
        }
        var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
        return v.CleanSpaces ? CleanSpaces(text) : text;
    }

    /// <summary>Hugging Face's clean_up_tokenization_spaces: " ." → ".", " 's" → "'s", " ' " → "'", etc.</summary>
    private static string CleanSpaces(string text)
    {
        if (text.Length == 0) return text;
        var sb = new StringBuilder(text.Length);
        sb.Append(text[0]);
        for (var i = 1; i < text.Length; i++)
        {
            var x = text[i];
            if (text[i - 1] == ' ' && x is '?' or '!' or '.' or ',')
                sb.Length--;
            sb.Append(x);
        }
        var pass1 = sb.ToString().ToCharArray();
        sb.Clear().Append(pass1[0]);
        for (var i = 1; i < pass1.Length; i++)
        {
            var x = pass1[i];
            if (x == '\'' && i + 1 < pass1.Length && pass1[i - 1] == ' ' && pass1[i + 1] == ' ')
            {
                // The space after is dropped too; blanking it keeps a following apostrophe from seeing a space before it.
                sb.Length--;
                sb.Append(x);
                pass1[++i] = '\0';
                continue;
            }
            sb.Append(x);
        }
        var pass2 = sb.ToString();
        sb.Clear().Append(pass2[0]);
        for (var i = 1; i < pass2.Length; i++)
        {
            var x = pass2[i];
            if (pass2[i - 1] == ' ' && x == '\'' && i + 1 < pass2.Length)
            {
                var x1 = pass2[i + 1];
                var x2 = i + 2 < pass2.Length ? pass2[i + 2] : '\0';
                if (x1 is 's' or 'm' || (x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e'))
                    sb.Length--;
            }
            sb.Append(x);
        }
        return sb.ToString();
    }
}
