using System.Text;
using Mender.Llm.Gguf;

namespace Mender.Llm.Tokenizers;

/// <summary>
/// A tokenizer vocabulary read from GGUF metadata (tokenizer.ggml.*): token texts, scores, attributes, special token ids
/// and the flags that steer encoding and decoding. Defaults and fix-ups follow llama.cpp so that models behave the same.
/// </summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;

    /// <summary>Token texts that end generation whatever the metadata says (chat turn ends, end-of-text markers).</summary>
    private static readonly string[] EndOfGenerationTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>",
        "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>",
    ];

    /// <summary>Token texts taken as the end-of-turn token when tokenizer.ggml.eot_token_id is absent, in order of preference.</summary>
    private static readonly string[] EndOfTurnTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
        "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ];

    private Vocabulary(string[] tokens, float[] scores, TokenAttributes[] attributes, Dictionary<string, int> ids)
    {
        Tokens = tokens;
        Scores = scores;
        Attributes = attributes;
        _ids = ids;
        _idsBySpan = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public TokenizerKind Kind { get; private init; }

    /// <summary>tokenizer.ggml.pre, or null when absent.</summary>
    public string? PreTokenizerName { get; private init; }

    public string[] Tokens { get; }
    public float[] Scores { get; }
    public TokenAttributes[] Attributes { get; }
    public int Count => Tokens.Length;

    /// <summary>Longest token text in UTF-16 units.</summary>
    public int MaxTokenLength { get; private set; }

    // Special token ids; -1 when the vocabulary has none.
    public int Bos { get; private set; } = -1;
    public int Eos { get; private set; } = -1;
    public int Eot { get; private set; } = -1;
    public int Eom { get; private set; } = -1;
    public int Unknown { get; private set; } = -1;
    public int Separator { get; private set; } = -1;
    public int Padding { get; private set; } = -1;
    public int Mask { get; private set; } = -1;

    public bool AddBos { get; private set; }
    public bool AddEos { get; private set; }

    /// <summary>SentencePiece: a space is put before text that starts the input or follows a special token.</summary>
    public bool AddSpacePrefix { get; private set; }

    /// <summary>Decoding removes spaces before punctuation and in contractions, as Hugging Face's clean_up_tokenization_spaces.</summary>
    public bool CleanSpaces { get; private set; }

    /// <summary>BPE: a pre-tokenized word that is itself a token is emitted whole, without merging.</summary>
    public bool IgnoreMerges { get; private set; }

    /// <summary>WordPiece: lower-case and strip accents before matching.</summary>
    public bool Lowercase { get; private set; }

    /// <summary>Tokens that end generation: EOS, EOT, EOM and the usual end-of-turn markers.</summary>
    public IReadOnlySet<int> EndOfGeneration { get; private set; } = new HashSet<int>();

    /// <summary>Control, user-defined and unknown tokens, longest text first: the ones the special-token splitter looks for.</summary>
    public int[] SpecialTokensLongestFirst { get; private set; } = [];

    /// <summary>The id of a token text, or -1.</summary>
    public int TokenId(ReadOnlySpan<char> text) => _idsBySpan.TryGetValue(text, out var id) ? id : -1;

    public int TokenId(string text) => _ids.TryGetValue(text, out var id) ? id : -1;

    public static Vocabulary FromGguf(GgufFile file)
    {
        var model = file.GetString("tokenizer.ggml.model")
            ?? throw new InvalidDataException($"'{file.Path}' has no tokenizer (tokenizer.ggml.model is missing)");
        var kind = model switch
        {
            "llama" => TokenizerKind.SentencePiece,
            "gpt2" => TokenizerKind.BytePair,
            "bert" => TokenizerKind.WordPiece,
            _ => throw new InvalidDataException($"unsupported tokenizer model '{model}' (tokenizer.ggml.model)"),
        };
        var texts = file.GetStringArray("tokenizer.ggml.tokens")
            ?? throw new InvalidDataException("tokenizer.ggml.tokens is missing");
        var n = texts.Length;
        var scores = file.GetFloatArray("tokenizer.ggml.scores") ?? new float[n];
        if (scores.Length < n)
            throw new InvalidDataException($"tokenizer.ggml.scores has {scores.Length} entries for {n} tokens");
        var types = file.GetIntArray("tokenizer.ggml.token_type");
        if (types is not null && types.Length < n)
            throw new InvalidDataException($"tokenizer.ggml.token_type has {types.Length} entries for {n} tokens");

        var tokens = new string[n];
        var attributes = new TokenAttributes[n];
        var ids = new Dictionary<string, int>(n, StringComparer.Ordinal);
        var maxLength = 0;
        for (var i = 0; i < n; i++)
        {
            var text = texts[i].Length == 0 ? $"[EMPTY_{i}]" : texts[i];
            if (!ids.TryAdd(text, i))
                throw new InvalidDataException($"duplicate token in vocabulary: '{text}' has ids {ids[text]} and {i}");
            tokens[i] = text;
            maxLength = Math.Max(maxLength, text.Length);
            attributes[i] = (types?[i] ?? 1) switch
            {
                1 => TokenAttributes.Normal,
                2 => TokenAttributes.Unknown,
                3 => TokenAttributes.Control,
                4 => TokenAttributes.UserDefined,
                5 => TokenAttributes.Unused,
                6 => TokenAttributes.Byte,
                _ => TokenAttributes.None,
            };
        }

        var pre = file.GetString("tokenizer.ggml.pre");
        var vocab = new Vocabulary(tokens, scores[..n], attributes, ids)
        {
            Kind = kind,
            PreTokenizerName = pre,
            MaxTokenLength = maxLength,
        };
        vocab.ApplyDefaults(kind, pre);
        vocab.ReadSpecialTokens(file);
        vocab.DetectSpecialTokensByText(file.GetString("general.name"));
        return vocab;
    }

    private void ApplyDefaults(TokenizerKind kind, string? pre)
    {
        switch (kind)
        {
            case TokenizerKind.SentencePiece:
                (Bos, Eos, Unknown) = (1, 2, 0);
                AddSpacePrefix = true;
                AddBos = true;
                break;
            case TokenizerKind.WordPiece:
                (Bos, Unknown, Separator, Padding, Mask) = (101, 100, 102, 0, 103);
                AddBos = true;
                CleanSpaces = true;
                Lowercase = true;
                break;
            case TokenizerKind.BytePair:
                var entry = PreTokenizerCatalog.For(pre);
                (Bos, Eos) = (entry.HasBos ? 11 : -1, 11);
                CleanSpaces = entry.CleanSpaces;
                IgnoreMerges = entry.IgnoreMerges;
                AddBos = entry.AddBos;
                break;
        }
        // Defaults that point outside a small vocabulary are dropped rather than kept dangling.
        Bos = InRange(Bos);
        Eos = InRange(Eos);
        Unknown = InRange(Unknown);
        Separator = InRange(Separator);
        Padding = InRange(Padding);
        Mask = InRange(Mask);
    }

    private int InRange(int id) => id >= 0 && id < Count ? id : -1;

    private void ReadSpecialTokens(GgufFile file)
    {
        // An id outside the vocabulary (e.g. 0xFFFFFFFF meaning "none") leaves the default in place, as llama.cpp does.
        int Read(string key, int current)
        {
            var value = file.GetInteger(key);
            return value is { } v && v >= 0 && v < Count ? (int)v : current;
        }

        Bos = Read("tokenizer.ggml.bos_token_id", Bos);
        Eos = Read("tokenizer.ggml.eos_token_id", Eos);
        Eot = Read("tokenizer.ggml.eot_token_id", Eot);
        Eom = Read("tokenizer.ggml.eom_token_id", Eom);
        Unknown = Read("tokenizer.ggml.unknown_token_id", Unknown);
        Separator = Read("tokenizer.ggml.seperator_token_id", Separator);
        Padding = Read("tokenizer.ggml.padding_token_id", Padding);
        Mask = Read("tokenizer.ggml.mask_token_id", Mask);

        AddBos = file.GetBool("tokenizer.ggml.add_bos_token") ?? AddBos;
        AddEos = file.GetBool("tokenizer.ggml.add_eos_token") ?? AddEos;
        AddSpacePrefix = file.GetBool("tokenizer.ggml.add_space_prefix") ?? AddSpacePrefix;
        Lowercase = file.GetBool("tokenizer.ggml.normalizer.lowercase") ?? Lowercase;
        if (AddBos && Bos < 0)
            throw new InvalidDataException("tokenizer.ggml.add_bos_token is true, but tokenizer.ggml.bos_token_id is not set");
        if (AddEos && Eos < 0)
            throw new InvalidDataException("tokenizer.ggml.add_eos_token is true, but tokenizer.ggml.eos_token_id is not set");
    }

    private void DetectSpecialTokensByText(string? modelName)
    {
        if (Eot < 0)
            foreach (var text in EndOfTurnTexts)
                if (TokenId(text) is var id and >= 0)
                {
                    Eot = id;
                    break;
                }

        var endOfGeneration = new HashSet<int>();
        foreach (var text in EndOfGenerationTexts)
            if (TokenId(text) is var id and >= 0)
                endOfGeneration.Add(id);
        // Turn and text end markers must never be split out of ordinary text, so they are control tokens.
        foreach (var id in endOfGeneration)
            Attributes[id] |= TokenAttributes.Control;
        foreach (var id in new[] { Eos, Eot, Eom })
            if (id >= 0) endOfGeneration.Add(id);
        EndOfGeneration = endOfGeneration;

        for (var id = 0; id < Count; id++)
            if ((Attributes[id] & TokenAttributes.Control) != 0 && Tokens[id].Contains("unused", StringComparison.Ordinal))
                Attributes[id] |= TokenAttributes.Unused;

        const TokenAttributes special = TokenAttributes.Control | TokenAttributes.UserDefined | TokenAttributes.Unknown;
        SpecialTokensLongestFirst = Enumerable.Range(0, Count)
            .Where(id => (Attributes[id] & special) != 0)
            .OrderByDescending(id => Encoding.UTF8.GetByteCount(Tokens[id]))
            .ThenBy(id => id)
            .ToArray();

        // Phi-3's chat markers swallow the white space that follows them.
        var name = modelName?.ToLowerInvariant() ?? "";
        if (name.Contains("phi-3") || name.Contains("phi3"))
        {
            foreach (var id in SpecialTokensLongestFirst) Attributes[id] |= TokenAttributes.StripRight;
            if (TokenId("</s>") is var eos and >= 0) Attributes[eos] |= TokenAttributes.StripRight;
            foreach (var text in new[] { "<unk>", "<s>", "<|endoftext|>" })
                if (TokenId(text) is var id and >= 0) Attributes[id] &= ~TokenAttributes.StripRight;
        }
    }

    /// <summary>
    /// The bytes a token stands for when decoded. Control and unknown tokens render as their text only when
    /// <paramref name="renderSpecial"/> is set; user-defined tokens always render as their text.
    /// </summary>
    public byte[] PieceBytes(int id, bool renderSpecial)
    {
        var attr = Attributes[id];
        if ((attr & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0)
            return renderSpecial ? Encoding.UTF8.GetBytes(Tokens[id]) : [];
        if ((attr & TokenAttributes.UserDefined) != 0)
            return Encoding.UTF8.GetBytes(Tokens[id]);
        if ((attr & TokenAttributes.Byte) != 0)
            return [ByteOf(id)];
        if ((attr & TokenAttributes.Normal) == 0)
            return [];
        return Kind == TokenizerKind.BytePair
            ? ByteLevelDecode(Tokens[id])
            : Encoding.UTF8.GetBytes(Tokens[id].Replace('\u2581', ' '));
    }

    /// <summary>The byte a byte token (&lt;0xAB&gt;, or a byte-level character) stands for.</summary>
    private byte ByteOf(int id)
    {
        var text = Tokens[id];
        if (text.Length == 6 && text.StartsWith("<0x", StringComparison.Ordinal) && text[5] == '>'
            && byte.TryParse(text.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            return b;
        if (text.Length == 1 && ByteLevelAlphabet.Decode(text[0]) is var decoded and >= 0)
            return (byte)decoded;
        throw new InvalidDataException($"token {id} '{text}' is marked as a byte token but does not name a byte");
    }

    /// <summary>
    /// Undoes the byte-level alphabet. A character outside it (possible only in a malformed vocabulary) is kept as its
    /// UTF-8 bytes, so no text is lost.
    /// </summary>
    private static byte[] ByteLevelDecode(string text)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var b = rune.IsBmp ? ByteLevelAlphabet.Decode((char)rune.Value) : -1;
            if (b >= 0)
                bytes.Add((byte)b);
            else
            {
                bytes.AddRange(utf8[..rune.EncodeToUtf8(utf8)]);
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The id of the SentencePiece byte token &lt;0xAB&gt; for a byte, or of the one-character token; -1 if neither exists.</summary>
    public int ByteTokenId(byte b)
    {
        Span<char> name = ['<', '0', 'x', Hex(b >> 4), Hex(b & 15), '>'];
        var id = TokenId(name);
        if (id >= 0) return id;
        return b < 0x80 ? TokenId([(char)b]) : -1;

        static char Hex(int v) => (char)(v < 10 ? '0' + v : 'A' + v - 10);
    }
}
