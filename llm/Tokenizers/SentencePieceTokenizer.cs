using System.Text;

namespace Mender.Llm.Tokenizers;

/// <summary>
/// SentencePiece BPE as llama.cpp runs it: spaces become "▁", the text starts as one symbol per character, and the
/// adjacent pair whose concatenation is the highest-scoring vocabulary token is merged until no pair is a token.
/// Characters that are no token fall back to their UTF-8 bytes (&lt;0xAB&gt; tokens).
/// </summary>
internal sealed class SentencePieceTokenizer(Vocabulary vocabulary) : Tokenizer(vocabulary)
{
    private struct Symbol
    {
        public int Start;
        public int Length;
        public int Prev;
        public int Next;
    }

    private readonly record struct Bigram(int Left, int Right, int Size);

    /// <summary>Highest score first; among equal scores the leftmost pair.</summary>
    private sealed class BigramOrder : IComparer<(float Score, int Left)>
    {
        public static readonly BigramOrder Instance = new();

        public int Compare((float Score, int Left) a, (float Score, int Left) b)
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.Left.CompareTo(b.Left);
        }
    }

    protected override void EncodeText(string fragment, bool afterSpecial, List<int> output)
    {
        var v = Vocabulary;
        var text = (v.AddSpacePrefix && afterSpecial ? " " + fragment : fragment).Replace(' ', '\u2581');
        if (text.Length == 0) return;

        var symbols = new List<Symbol>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            symbols.Add(new Symbol { Start = i, Length = length, Prev = symbols.Count - 1, Next = i + length < text.Length ? symbols.Count + 1 : -1 });
            i += length;
        }
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbols);

        var queue = new PriorityQueue<Bigram, (float, int)>(BigramOrder.Instance);
        for (var i = 1; i < all.Length; i++)
            TryAddBigram(text, all, i - 1, i, queue);

        while (queue.TryDequeue(out var bigram, out _))
        {
            ref var left = ref all[bigram.Left];
            ref var right = ref all[bigram.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != bigram.Size)
                continue;
            left.Length += right.Length;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0) all[right.Next].Prev = bigram.Left;
            TryAddBigram(text, all, left.Prev, bigram.Left, queue);
            TryAddBigram(text, all, bigram.Left, left.Next, queue);
        }

        Span<byte> utf8 = stackalloc byte[8];
        for (var i = 0; i != -1; i = all[i].Next)
        {
            var piece = text.AsSpan(all[i].Start, all[i].Length);
            var id = v.TokenId(piece);
            if (id >= 0)
            {
                output.Add(id);
                continue;
            }
            // Only single characters can be left unmatched (merges always form vocabulary tokens): spell them in bytes.
            var n = Encoding.UTF8.GetBytes(piece, utf8);
            foreach (var b in utf8[..n])
            {
                var byteId = v.ByteTokenId(b);
                if (byteId >= 0) output.Add(byteId);
                else if (v.Unknown >= 0) output.Add(v.Unknown);
            }
        }
    }

    private void TryAddBigram(string text, Span<Symbol> symbols, int left, int right, PriorityQueue<Bigram, (float, int)> queue)
    {
        if (left < 0 || right < 0) return;
        var size = symbols[left].Length + symbols[right].Length;
        var id = Vocabulary.TokenId(text.AsSpan(symbols[left].Start, size));
        if (id < 0) return;
        queue.Enqueue(new Bigram(left, right, size), (Vocabulary.Scores[id], left));
    }
}
