using System.Runtime.InteropServices;
using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>
/// Runs a model over token sequences held in a KV cache. Several sequences can be kept at once and decoded together
/// (<see cref="DecodeBatch"/>), which reads the weights once for all of them. Prompts are processed in batches of
/// <see cref="BatchSize"/> tokens through the matrix-matrix kernels. Logit spans returned here stay valid until the
/// next call. All buffers are allocated when the session is created. Not thread-safe: one caller at a time.
/// </summary>
internal sealed unsafe class InferenceSession : IDisposable
{
    private readonly LlmModel _model;
    private readonly ModelConfig _config;
    private readonly WorkerPool _pool;
    private readonly KvCache _cache;
    private readonly RopeTable _rope;
    private readonly ForwardPass _pass;
    private readonly int[] _positions;
    private readonly int[] _batchCount;
    private readonly int[] _sequenceBuffer;
    private readonly float* _logits;
    private readonly float* _gathered;
    private int _batchRows;
    private bool _disposed;

    internal InferenceSession(LlmModel model, int sequences, int contextLength, int batchSize)
    {
        if (sequences < 1)
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "need at least one sequence");
        if (contextLength < 1)
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "context length must be positive");
        if (batchSize < sequences)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batch size must be at least the sequence count {sequences}");
        _model = model;
        _config = model.Config;
        Sequences = sequences;
        ContextLength = contextLength;
        BatchSize = batchSize;
        _pool = new WorkerPool(model.Threads);
        _cache = new KvCache(_config.LayerCount, sequences, contextLength, _config.KvLength);
        _rope = new RopeTable(_config, contextLength, model.Weights.RopeFrequencyFactors);
        _pass = new ForwardPass(_config, _pool, _cache, _rope, batchSize);
        _positions = new int[sequences];
        _batchCount = new int[sequences];
        _sequenceBuffer = new int[batchSize];
        _logits = (float*)NativeMemory.AlignedAlloc((nuint)((long)sequences * _config.VocabSize * sizeof(float)), 64);
        _gathered = (float*)NativeMemory.AlignedAlloc((nuint)((long)sequences * _config.EmbeddingLength * sizeof(float)), 64);
    }

    public int Sequences { get; }

    /// <summary>Tokens each sequence can hold.</summary>
    public int ContextLength { get; }

    /// <summary>The most tokens evaluated in one pass (longer prompts are split).</summary>
    public int BatchSize { get; }

    public int VocabSize => _config.VocabSize;
    public int EmbeddingLength => _config.EmbeddingLength;

    /// <summary>Bytes held by the KV cache.</summary>
    public long CacheBytes => _cache.Bytes;

    /// <summary>Tokens currently held for <paramref name="sequence"/> (the position of its next token).</summary>
    public int Position(int sequence) => _positions[CheckSequence(sequence)];

    /// <summary>Forgets every token of <paramref name="sequence"/>.</summary>
    public void ResetSequence(int sequence) => _positions[CheckSequence(sequence)] = 0;

    /// <summary>Keeps the first <paramref name="length"/> tokens of <paramref name="sequence"/> (to reuse a shared prefix).</summary>
    public void TruncateSequence(int sequence, int length)
    {
        CheckSequence(sequence);
        if (length < 0 || length > _positions[sequence])
            throw new ArgumentOutOfRangeException(nameof(length), length, $"sequence {sequence} holds {_positions[sequence]} tokens");
        _positions[sequence] = length;
    }

    /// <summary>Appends <paramref name="tokens"/> to <paramref name="sequence"/>; returns the logits after the last one.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<int> tokens, int sequence = 0)
    {
        RequireRoom(tokens, sequence);
        for (var start = 0; start < tokens.Length; start += BatchSize)
        {
            var chunk = tokens.Slice(start, Math.Min(BatchSize, tokens.Length - start));
            var last = start + chunk.Length == tokens.Length;
            Evaluate(chunk, Same(sequence, chunk.Length), last ? Output.LastRow : Output.None, null);
        }
        return new ReadOnlySpan<float>(_logits, _config.VocabSize);
    }

    /// <summary>Appends <paramref name="tokens"/> and writes the logits after every one of them (tokens × vocab, row-major).</summary>
    public void ForwardAllLogits(ReadOnlySpan<int> tokens, int sequence, Span<float> logits)
    {
        RequireRoom(tokens, sequence);
        if (logits.Length < (long)tokens.Length * _config.VocabSize)
            throw new ArgumentException($"{tokens.Length} tokens need {(long)tokens.Length * _config.VocabSize} logits, got room for {logits.Length}", nameof(logits));
        fixed (float* destination = logits)
            for (var start = 0; start < tokens.Length; start += BatchSize)
            {
                var chunk = tokens.Slice(start, Math.Min(BatchSize, tokens.Length - start));
                Evaluate(chunk, Same(sequence, chunk.Length), Output.AllLogits, destination + (long)start * _config.VocabSize);
            }
    }

    /// <summary>
    /// Appends <paramref name="tokens"/> and writes the final hidden state (after the output norm) of every one of them,
    /// tokens × n_embd row-major: the input of embedding pooling.
    /// </summary>
    public void ForwardHidden(ReadOnlySpan<int> tokens, int sequence, Span<float> hidden)
    {
        RequireRoom(tokens, sequence);
        if (hidden.Length < (long)tokens.Length * _config.EmbeddingLength)
            throw new ArgumentException($"{tokens.Length} tokens need {(long)tokens.Length * _config.EmbeddingLength} floats, got room for {hidden.Length}", nameof(hidden));
        fixed (float* destination = hidden)
            for (var start = 0; start < tokens.Length; start += BatchSize)
            {
                var chunk = tokens.Slice(start, Math.Min(BatchSize, tokens.Length - start));
                Evaluate(chunk, Same(sequence, chunk.Length), Output.AllHidden, destination + (long)start * _config.EmbeddingLength);
            }
    }

    /// <summary>
    /// Appends one token to each of several distinct sequences in a single pass; afterwards
    /// <see cref="BatchLogits"/>(i) holds the logits for <paramref name="sequences"/>[i].
    /// </summary>
    public void DecodeBatch(ReadOnlySpan<int> tokens, ReadOnlySpan<int> sequences)
    {
        RequireTokens(tokens);
        if (sequences.Length != tokens.Length)
            throw new ArgumentException($"{tokens.Length} tokens but {sequences.Length} sequences", nameof(sequences));
        if (tokens.Length > Sequences)
            throw new ArgumentException($"{tokens.Length} tokens, but the session holds {Sequences} sequences", nameof(tokens));
        for (var i = 0; i < sequences.Length; i++)
        {
            CheckSequence(sequences[i]);
            for (var j = 0; j < i; j++)
                if (sequences[j] == sequences[i])
                    throw new ArgumentException($"sequence {sequences[i]} appears twice in one batch", nameof(sequences));
        }
        _batchRows = 0;
        Evaluate(tokens, sequences, Output.EveryRow, null);
        _batchRows = tokens.Length;
    }

    /// <summary>The logits of row <paramref name="index"/> of the last <see cref="DecodeBatch"/>.</summary>
    public ReadOnlySpan<float> BatchLogits(int index)
    {
        if ((uint)index >= (uint)_batchRows)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the last batch had {_batchRows} rows");
        return new ReadOnlySpan<float>(_logits + (long)index * _config.VocabSize, _config.VocabSize);
    }

    private enum Output { None, LastRow, EveryRow, AllLogits, AllHidden }

    private void Evaluate(ReadOnlySpan<int> tokens, ReadOnlySpan<int> sequences, Output output, float* destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = tokens.Length;
        var pass = _pass;
        Array.Clear(_batchCount);
        for (var i = 0; i < count; i++)
        {
            var token = tokens[i];
            if ((uint)token >= (uint)_config.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"token id outside the vocabulary of {_config.VocabSize}");
            var s = sequences[i];
            var position = _positions[s] + _batchCount[s]++;
            if (position >= ContextLength)
                throw new ArgumentException(
                    $"context full: sequence {s} holds {_positions[s]} tokens and {CountOf(sequences, s)} more do not fit in the context length {ContextLength}");
            pass.Positions[i] = position;
            pass.Sequences[i] = s;
        }
        pass.Tokens = count;

        var embedding = _model.Weights.TokenEmbedding;
        var kernels = FormatKernels.For(embedding.Type);
        for (var i = 0; i < count; i++)
            kernels.Dequantize(embedding.Row(tokens[i]), 0, _config.EmbeddingLength, pass.X + (long)i * _config.EmbeddingLength);

        var layers = _model.Weights.Layers;
        for (var l = 0; l < layers.Length; l++)
            _model.Architecture.ForwardLayer(pass, layers[l], l);

        for (var i = 0; i < count; i++) _positions[sequences[i]]++;

        var dim = _config.EmbeddingLength;
        var norm = ModelTensors.Pointer(_model.Weights.OutputNorm);
        switch (output)
        {
            case Output.LastRow:
                RmsNorm.Apply(pass.X + (long)(count - 1) * dim, norm, _gathered, dim, _config.RmsEpsilon);
                pass.MatMul.Multiply(_gathered, 1, _model.Weights.Output, _logits);
                break;
            case Output.EveryRow:
                RmsNorm.Rows(pass.X, norm, _gathered, count, dim, _config.RmsEpsilon);
                pass.MatMul.Multiply(_gathered, count, _model.Weights.Output, _logits);
                break;
            case Output.AllLogits:
                RmsNorm.Rows(pass.X, norm, pass.Normed, count, dim, _config.RmsEpsilon);
                pass.MatMul.Multiply(pass.Normed, count, _model.Weights.Output, destination);
                break;
            case Output.AllHidden:
                RmsNorm.Rows(pass.X, norm, destination, count, dim, _config.RmsEpsilon);
                break;
        }
    }

    private static int CountOf(ReadOnlySpan<int> sequences, int s)
    {
        var n = 0;
        foreach (var x in sequences) if (x == s) n++;
        return n;
    }

    private ReadOnlySpan<int> Same(int sequence, int count)
    {
        var span = _sequenceBuffer.AsSpan(0, count);
        span.Fill(sequence);
        return span;
    }

    // Checked before the first chunk, so a prompt that cannot fit leaves the sequence untouched.
    private void RequireRoom(ReadOnlySpan<int> tokens, int sequence)
    {
        CheckSequence(sequence);
        RequireTokens(tokens);
        if (_positions[sequence] + (long)tokens.Length > ContextLength)
            throw new ArgumentException(
                $"context full: sequence {sequence} holds {_positions[sequence]} tokens and {tokens.Length} more do not fit in the context length {ContextLength}");
    }

    private static void RequireTokens(ReadOnlySpan<int> tokens)
    {
        if (tokens.IsEmpty)
            throw new ArgumentException("no tokens to evaluate", nameof(tokens));
    }

    private int CheckSequence(int sequence)
    {
        if ((uint)sequence >= (uint)Sequences)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"the session holds sequences 0 to {Sequences - 1}");
        return sequence;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _pass.Dispose();
        _rope.Dispose();
        _cache.Dispose();
        _pool.Dispose();
        NativeMemory.AlignedFree(_logits);
        NativeMemory.AlignedFree(_gathered);
    }
}
