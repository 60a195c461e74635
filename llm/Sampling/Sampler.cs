using System.Numerics.Tensors;
using Mender.Numerics;

namespace Mender.Llm.Sampling;

/// <summary>
/// Draws tokens from logits per <see cref="SamplingOptions"/>, optionally restricted to an allowed-token bit set
/// (constrained decoding). All buffers are allocated once, so sampling allocates nothing per token.
/// </summary>
internal sealed class Sampler
{
    private readonly SamplingOptions _options;
    private readonly int _vocabSize;
    private readonly float[] _work;
    private readonly float[] _values;
    private readonly int[] _ids;
    private readonly int[] _window;
    private readonly int[] _counts;
    private readonly int[] _stamp;
    private readonly ulong _seed;
    private Rng _rng;
    private int _windowCount;
    private int _windowNext;
    private int _step;

    public Sampler(int vocabSize, SamplingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, 1);
        options.Validate();
        _options = options;
        _vocabSize = vocabSize;
        _work = new float[vocabSize];
        _values = new float[vocabSize];
        _ids = new int[vocabSize];
        _window = new int[Math.Max(1, options.PenaltyWindow)];
        _counts = new int[vocabSize];
        _stamp = new int[vocabSize];
        _seed = options.Seed ?? (ulong)Random.Shared.NextInt64();
        _rng = new Rng(_seed);
    }

    public SamplingOptions Options => _options;

    /// <summary>Forgets the token history and restarts the random stream from the seed.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _windowCount = 0;
        _windowNext = 0;
        _rng = new Rng(_seed);
    }

    /// <summary>Records a token of the text so far (prompt or generated) for the repetition penalties.</summary>
    public void Accept(int token)
    {
        if ((uint)token >= (uint)_vocabSize) throw new ArgumentOutOfRangeException(nameof(token));
        if (_options.PenaltyWindow == 0) return;
        if (_windowCount == _window.Length)
            _counts[_window[_windowNext]]--;
        else
            _windowCount++;
        _window[_windowNext] = token;
        _counts[token]++;
        _windowNext = (_windowNext + 1) % _window.Length;
    }

    public int Sample(ReadOnlySpan<float> logits) => Sample(logits, default, restricted: false);

    /// <summary>Samples among the tokens whose bit is set in <paramref name="allowed"/> (bit i of word i / 64).</summary>
    public int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<ulong> allowed) => Sample(logits, allowed, restricted: true);

    private int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<ulong> allowed, bool restricted)
    {
        if (logits.Length != _vocabSize)
            throw new ArgumentException($"{logits.Length} logits for a vocabulary of {_vocabSize}", nameof(logits));
        if (restricted && allowed.Length * 64 < _vocabSize)
            throw new ArgumentException($"the allowed set covers {allowed.Length * 64} tokens, the vocabulary has {_vocabSize}", nameof(allowed));
        var work = _work.AsSpan();
        logits.CopyTo(work);
        if (_options.HasPenalties) ApplyPenalties(work);
        if (restricted) Mask(work, allowed);

        if (_options.IsGreedy)
        {
            var best = TensorPrimitives.IndexOfMax(work);
            if (float.IsNegativeInfinity(work[best]) || float.IsNaN(work[best]))
                throw new InvalidOperationException("no token is allowed");
            return best;
        }

        var n = 0;
        for (var i = 0; i < work.Length; i++)
        {
            if (float.IsNegativeInfinity(work[i]) || float.IsNaN(work[i])) continue;
            _values[n] = work[i];
            _ids[n++] = i;
        }
        if (n == 0) throw new InvalidOperationException("no token is allowed");

        if (_options.TopK > 0 && _options.TopK < n)
        {
            SelectTop(_options.TopK, n);
            n = _options.TopK;
        }
        var values = _values.AsSpan(0, n);
        var max = TensorPrimitives.Max(values);
        if (_options.MinP > 0)
            n = DropBelow(n, max + MathF.Log(_options.MinP));
        if (_options.TopP < 1)
            n = KeepNucleus(n, max, _options.TopP);

        // Temperature, then a draw proportional to exp((l - max) / T).
        values = _values.AsSpan(0, n);
        var inverseT = 1f / _options.Temperature;
        for (var i = 0; i < n; i++) values[i] = (values[i] - max) * inverseT;
        TensorPrimitives.Exp(values, values);
        var total = TensorPrimitives.Sum(values);
        var target = _rng.NextDouble() * total;
        double cumulative = 0;
        for (var i = 0; i < n; i++)
        {
            cumulative += values[i];
            if (cumulative > target) return _ids[i];
        }
        return _ids[n - 1];
    }

    private void ApplyPenalties(Span<float> work)
    {
        _step++;
        var o = _options;
        for (var k = 0; k < _windowCount; k++)
        {
            var token = _window[k];
            if (_stamp[token] == _step) continue;
            _stamp[token] = _step;
            var l = work[token];
            if (o.RepetitionPenalty != 1f) l = l > 0 ? l / o.RepetitionPenalty : l * o.RepetitionPenalty;
            work[token] = l - _counts[token] * o.FrequencyPenalty - o.PresencePenalty;
        }
    }

    private static void Mask(Span<float> work, ReadOnlySpan<ulong> allowed)
    {
        for (var word = 0; word * 64 < work.Length; word++)
        {
            var bits = allowed[word];
            if (bits == ulong.MaxValue) continue;
            var end = Math.Min(64, work.Length - word * 64);
            for (var b = 0; b < end; b++)
                if ((bits & (1UL << b)) == 0) work[word * 64 + b] = float.NegativeInfinity;
        }
    }

    /// <summary>Keeps candidates with value ≥ <paramref name="threshold"/> (order preserved).</summary>
    private int DropBelow(int n, float threshold)
    {
        var kept = 0;
        for (var i = 0; i < n; i++)
            if (_values[i] >= threshold)
            {
                _values[kept] = _values[i];
                _ids[kept++] = _ids[i];
            }
        return kept;
    }

    /// <summary>
    /// Keeps the smallest set of most likely candidates whose probability (at temperature 1) reaches <paramref name="p"/>.
    /// The top m candidates are selected and sorted for growing m, so the whole vocabulary is never sorted.
    /// </summary>
    private int KeepNucleus(int n, float max, float p)
    {
        double total = 0;
        for (var i = 0; i < n; i++) total += MathF.Exp(_values[i] - max);
        var goal = p * total;
        for (var m = Math.Min(n, 64); ; m = Math.Min(n, m * 4))
        {
            SelectTop(m, n);
            Array.Sort(_values, _ids, 0, m, DescendingFloat.Instance);
            double cumulative = 0;
            for (var i = 0; i < m; i++)
            {
                cumulative += MathF.Exp(_values[i] - max);
                if (cumulative >= goal) return i + 1;
            }
            if (m == n) return n;
        }
    }

    /// <summary>Moves the <paramref name="k"/> largest of the first <paramref name="n"/> candidates to the front (quickselect).</summary>
    private void SelectTop(int k, int n)
    {
        int lo = 0, hi = n - 1;
        while (lo < hi)
        {
            var pivot = _values[lo + (hi - lo) / 2];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (_values[i] > pivot) i++;
                while (_values[j] < pivot) j--;
                if (i <= j)
                {
                    (_values[i], _values[j]) = (_values[j], _values[i]);
                    (_ids[i], _ids[j]) = (_ids[j], _ids[i]);
                    i++;
                    j--;
                }
            }
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else return;
        }
    }

    private sealed class DescendingFloat : IComparer<float>
    {
        public static readonly DescendingFloat Instance = new();
        public int Compare(float x, float y) => y.CompareTo(x);
    }
}
