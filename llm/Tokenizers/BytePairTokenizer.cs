using System.Text;
using Mender.Llm.Gguf;

namespace Mender.Llm.Tokenizers;

/// <summary>
/// Byte-level BPE (GPT-2 style): the pre-tokenizer splits text into words, each word's UTF-8 bytes are spelled in the
/// byte-level alphabet, and adjacent symbols are merged by merge rank (lowest first) until no ranked pair remains.
/// </summary>
internal sealed class BytePairTokenizer : Tokenizer
{
    /// <summary>
    /// Merge ranks keyed by left + right + (char)left.Length: a word's adjacent symbols are contiguous in the word, so a
    /// pair can be looked up from a span without building strings.
    /// </summary>
    private readonly Dictionary<string, int> _ranks;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ranksBySpan;
    private readonly PreTokenizer _preTokenizer;

    private struct Symbol
    {
        public int Start;
        public int Length;
        public int Prev;
        public int Next;
    }

    private readonly record struct Bigram(int Left, int Right, int LeftLength, int RightLength);

    public BytePairTokenizer(Vocabulary vocabulary, GgufFile file) : base(vocabulary)
    {
        var merges = file.GetStringArray("tokenizer.ggml.merges")
            ?? throw new InvalidDataException("byte-level BPE tokenizer without tokenizer.ggml.merges");
        _ranks = new Dictionary<string, int>(merges.Length, StringComparer.Ordinal);
        for (var rank = 0; rank < merges.Length; rank++)
        {
            var merge = merges[rank];
            var space = merge.Length > 1 ? merge.IndexOf(' ', 1) : -1;
            if (space < 0 || space > char.MaxValue)
                throw new InvalidDataException($"tokenizer.ggml.merges[{rank}] = '{merge}' is not two symbols separated by a space");
            _ranks.TryAdd(string.Concat(merge.AsSpan(0, space), merge.AsSpan(space + 1), [(char)space]), rank);
        }
        _ranksBySpan = _ranks.GetAlternateLookup<ReadOnlySpan<char>>();
        _preTokenizer = PreTokenizer.FromPatterns(PreTokenizerCatalog.For(vocabulary.PreTokenizerName).Patterns);
    }

    protected override void EncodeText(string text, bool afterSpecial, List<int> output)
    {
        var codePoints = UnicodeClass.CodePoints(text);
        var words = new List<(int Start, int Length)>();
        _preTokenizer.Split(codePoints, words);

        var encoded = new char[16];
        var scratch = new char[17];
        var symbols = new List<Symbol>();
        var queue = new PriorityQueue<Bigram, (int Rank, int Left)>();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var (start, length) in words)
        {
            var n = 0;
            for (var i = start; i < start + length; i++)
            {
                var bytes = new Rune(codePoints[i]).EncodeToUtf8(utf8);
                if (n + bytes > encoded.Length) Array.Resize(ref encoded, encoded.Length * 2);
                for (var b = 0; b < bytes; b++) encoded[n++] = ByteLevelAlphabet.Encode(utf8[b]);
            }
            if (n + 1 > scratch.Length) scratch = new char[encoded.Length + 1];
            MergeWord(encoded.AsSpan(0, n), scratch, symbols, queue, output);
        }
    }

    private void MergeWord(ReadOnlySpan<char> word, char[] scratch, List<Symbol> symbolList, PriorityQueue<Bigram, (int, int)> queue, List<int> output)
    {
        var v = Vocabulary;
        if (word.Length == 0) return;
        if (v.IgnoreMerges && v.TokenId(word) is var whole and >= 0)
        {
            output.Add(whole);
            return;
        }

        symbolList.Clear();
        for (var i = 0; i < word.Length; i++)
            symbolList.Add(new Symbol { Start = i, Length = 1, Prev = i - 1, Next = i + 1 < word.Length ? i + 1 : -1 });
        var symbols = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbolList);
        queue.Clear();
        for (var i = 1; i < symbols.Length; i++)
            AddBigram(word, scratch, symbols, i - 1, i, queue);

        while (queue.TryDequeue(out var bigram, out _))
        {
            ref var left = ref symbols[bigram.Left];
            ref var right = ref symbols[bigram.Right];
            if (left.Length != bigram.LeftLength || right.Length != bigram.RightLength)
                continue;
            left.Length += right.Length;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0) symbols[right.Next].Prev = bigram.Left;
            AddBigram(word, scratch, symbols, left.Prev, bigram.Left, queue);
            AddBigram(word, scratch, symbols, bigram.Left, left.Next, queue);
        }

        for (var i = 0; i != -1; i = symbols[i].Next)
        {
            var piece = word.Slice(symbols[i].Start, symbols[i].Length);
            var id = v.TokenId(piece);
            if (id >= 0)
            {
                output.Add(id);
                continue;
            }
            // Like llama.cpp: fall back to single-character tokens; bytes whose character is not ASCII have none.
            foreach (var c in piece)
                if (c < 0x80 && v.TokenId([c]) is var single and >= 0)
                    output.Add(single);
        }
    }

    private void AddBigram(ReadOnlySpan<char> word, char[] scratch, Span<Symbol> symbols, int left, int right, PriorityQueue<Bigram, (int, int)> queue)
    {
        if (left < 0 || right < 0) return;
        var leftLength = symbols[left].Length;
        var rightLength = symbols[right].Length;
        var size = leftLength + rightLength;
        word.Slice(symbols[left].Start, size).CopyTo(scratch);
        scratch[size] = (char)leftLength;
        if (!_ranksBySpan.TryGetValue(scratch.AsSpan(0, size + 1), out var rank)) return;
        queue.Enqueue(new Bigram(left, right, leftLength, rightLength), (rank, left));
    }
}
