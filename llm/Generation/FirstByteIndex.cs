using System.Runtime.CompilerServices;
using LLama.Native;
using Mender.Llm.Runtime;

namespace Mender.Llm.Generation;

/// <summary>
/// The first byte of every token's text, so that a grammar is applied only to tokens it could allow. llama.cpp's grammar
/// check costs the same for every candidate (it copies and decodes each token's text), so applying it to a whole large
/// vocabulary takes tens of milliseconds, while at most places in a JSON document only a few first characters can come
/// next. The grammar is first asked about the one-byte tokens; a token whose first byte it refuses alone is refused
/// whatever follows, because the grammar reads a token's text from its first byte on. Bytes with no one-byte token,
/// and the end-of-generation tokens (which the grammar judges by its own state), always stay candidates.
/// </summary>
internal sealed class FirstByteIndex
{
    private const short Never = -1;
    private const short Always = 256;
    private static readonly ConditionalWeakTable<LlmModel, FirstByteIndex> Indexes = new();

    private readonly short[] firstByte;
    private readonly LLamaTokenData[] probeTemplate;

    private FirstByteIndex(LlmModel model)
    {
        var handle = model.Weights.NativeHandle;
        var vocabulary = model.VocabularySize;
        firstByte = new short[vocabulary];
        var probes = new List<LLamaTokenData>();
        var probed = new bool[256];
        Span<byte> piece = stackalloc byte[8];
        for (var token = 0; token < vocabulary; token++)
        {
            if (model.IsEndOfGeneration(token))
            {
                firstByte[token] = Always;
                continue;
            }
            // A piece longer than the buffer is not written, but its length is returned; its first byte is read again.
            var length = (int)handle.TokenToSpan((LLamaToken)token, piece, 0, special: true);
            if (length > piece.Length)
            {
                var whole = new byte[length];
                handle.TokenToSpan((LLamaToken)token, whole, 0, special: true);
                whole.AsSpan(0, 1).CopyTo(piece);
            }
            // The grammar refuses empty pieces and pieces that start with a NUL byte.
            firstByte[token] = length <= 0 || piece[0] == 0 ? Never : piece[0];
            if (length == 1 && piece[0] != 0 && !probed[piece[0]])
            {
                probed[piece[0]] = true;
                probes.Add(new LLamaTokenData(token, 0f, 0f));
            }
        }
        for (var token = 0; token < vocabulary; token++)
            if (firstByte[token] is > 0 and < Always && !probed[firstByte[token]]) firstByte[token] = Always;
        probeTemplate = [.. probes];
    }

    /// <summary>The index of <paramref name="model"/>'s vocabulary, built on first use (a pass over the vocabulary).</summary>
    public static FirstByteIndex Of(LlmModel model) => Indexes.GetValue(model, m => new FirstByteIndex(m));

    /// <summary>
    /// Writes to the start of <paramref name="into"/>, in token order, every token the grammar could allow next with
    /// its logit, and returns their number: a superset of what applying the grammar to the whole vocabulary allows.
    /// </summary>
    public int Candidates(SafeLLamaSamplerChainHandle grammar, ReadOnlySpan<float> logits, LLamaTokenData[] into)
    {
        Span<bool> allowed = stackalloc bool[257];
        allowed[Always] = true;
        var probes = into.AsSpan(0, probeTemplate.Length);
        probeTemplate.CopyTo(probes);
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(into.AsMemory(0, probes.Length)), out var native))
        {
            grammar.Apply(ref native);
            for (var i = 0; i < probes.Length; i++)
                if (!float.IsNegativeInfinity(native.Data[i].Logit)) allowed[firstByte[(int)native.Data[i].ID]] = true;
        }
        var count = 0;
        for (var token = 0; token < logits.Length; token++)
        {
            var b = firstByte[token];
            if (b != Never && allowed[b]) into[count++] = new LLamaTokenData(token, logits[token], 0f);
        }
        return count;
    }
}
