using Mender.Numerics.Operations;

namespace Mender.Numerics.Tests.Reference;

/// <summary>
/// Naive float64 versions of the engine's operations, written for clarity only: the ground truth for forward values
/// and, through finite differences, for gradients.
/// </summary>
internal static class Ref
{
    public static R Map(R x, Func<double, double> f) => new(Array.ConvertAll(x.V, v => f(v)), x.Shape);

    public static R Broadcast(R a, R b, Func<double, double, double> f)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var shape = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Rank) >= 0 ? a.Shape[i - (rank - a.Rank)] : 1;
            var db = i - (rank - b.Rank) >= 0 ? b.Shape[i - (rank - b.Rank)] : 1;
            shape[i] = Math.Max(da, db);
        }
        var y = R.Zeros(shape);
        var index = new int[rank];
        for (var flat = 0; flat < y.Length; flat++)
        {
            var rem = flat;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = rem % shape[d];
                rem /= shape[d];
            }
            y.V[flat] = f(a.V[Offset(a, index, rank)], b.V[Offset(b, index, rank)]);
        }
        return y;
    }

    private static int Offset(R t, int[] index, int rank)
    {
        var offset = 0;
        for (var d = 0; d < t.Rank; d++)
        {
            var i = index[d + rank - t.Rank];
            offset = offset * t.Shape[d] + (t.Shape[d] == 1 ? 0 : i);
        }
        return offset;
    }

    public static R Add(R a, R b) => Broadcast(a, b, (x, y) => x + y);
    public static R Sub(R a, R b) => Broadcast(a, b, (x, y) => x - y);
    public static R Mul(R a, R b) => Broadcast(a, b, (x, y) => x * y);
    public static R Div(R a, R b) => Broadcast(a, b, (x, y) => x / y);

    public static R Sum(R x) => new([x.V.Sum()]);
    public static R Mean(R x) => new([x.V.Average()]);

    public static R SumAxis(R x, int axis, bool keepDim, bool mean = false)
    {
        var a = axis < 0 ? axis + x.Rank : axis;
        var outer = x.Shape.Take(a).Aggregate(1, (p, d) => p * d);
        var n = x.Shape[a];
        var inner = x.Shape.Skip(a + 1).Aggregate(1, (p, d) => p * d);
        var shape = keepDim ? x.Shape.Select((d, i) => i == a ? 1 : d).ToArray() : x.Shape.Where((_, i) => i != a).ToArray();
        var y = R.Zeros(shape);
        for (var o = 0; o < outer; o++)
            for (var j = 0; j < n; j++)
                for (var i = 0; i < inner; i++)
                    y.V[o * inner + i] += x.V[(o * n + j) * inner + i] / (mean ? n : 1);
        return y;
    }

    /// <summary>op(a)·op(b) over the last two dimensions; b may be 2-D (shared) or batched like a.</summary>
    public static R MatMul(R a, R b, bool ta = false, bool tb = false)
    {
        var (ar, ac) = (a.Dim(-2), a.Dim(-1));
        var (m, k) = ta ? (ac, ar) : (ar, ac);
        var n = tb ? b.Dim(-2) : b.Dim(-1);
        var batch = a.Length / (ar * ac);
        var shared = b.Rank == 2;
        var shape = a.Shape.ToArray();
        shape[^2] = m;
        shape[^1] = n;
        var y = R.Zeros(shape);
        for (var s = 0; s < batch; s++)
        {
            var ao = s * ar * ac;
            var bo = shared ? 0 : s * k * n;
            for (var i = 0; i < m; i++)
                for (var j = 0; j < n; j++)
                {
                    double acc = 0;
                    for (var p = 0; p < k; p++)
                    {
                        var av = ta ? a.V[ao + p * ac + i] : a.V[ao + i * ac + p];
                        var bv = tb ? b.V[bo + j * k + p] : b.V[bo + p * n + j];
                        acc += av * bv;
                    }
                    y.V[s * m * n + i * n + j] = acc;
                }
        }
        return y;
    }

    public static double Act(Activation activation, double x) => activation switch
    {
        Activation.Relu => Math.Max(0, x),
        Activation.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        Activation.Silu => x / (1 + Math.Exp(-x)),
        _ => x,
    };

    /// <summary>erf to about 1e-14: the Taylor series below 3, the continued fraction for erfc above.</summary>
    public static double Erf(double x)
    {
        var ax = Math.Abs(x);
        double r;
        if (ax < 3)
        {
            double term = ax, sum = ax;
            for (var n = 1; n < 200; n++)
            {
                term *= -ax * ax / n;
                var add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17) break;
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            double f = 0;
            for (var n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
            r = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    public static R Activate(R x, Activation activation) => Map(x, v => Act(activation, v));

    /// <summary>The engine's dropout mask: element i of a call with this key is kept (and scaled) or zeroed.</summary>
    public static R Dropout(R x, double p, ulong key, long startIndex = 0)
    {
        var threshold = Mender.Numerics.Kernels.DropoutKernel.Threshold((float)p);
        var scale = (double)Mender.Numerics.Kernels.DropoutKernel.Scale((float)p);
        var y = R.Zeros(x.Shape);
        for (var i = 0; i < x.Length; i++)
            y.V[i] = Mender.Numerics.Kernels.DropoutKernel.Keep(key, (uint)(startIndex + i), threshold) ? x.V[i] * scale : 0;
        return y;
    }

    public static R Linear(R x, R w, R? b, Activation activation = Activation.None, double p = 0, ulong key = 0)
    {
        var y = MatMul(x, w, tb: true);
        if (b is not null) y = Add(y, b);
        y = Activate(y, activation);
        return p > 0 ? Dropout(y, p, key) : y;
    }

    public static R LayerNorm(R x, R? gamma, R? beta, double eps, bool rms = false)
    {
        var n = x.Dim(-1);
        var y = R.Zeros(x.Shape);
        for (var r = 0; r < x.Length / n; r++)
        {
            var row = x.V.AsSpan(r * n, n);
            var mean = rms ? 0 : row.ToArray().Average();
            double sq = 0;
            foreach (var v in row) sq += (v - mean) * (v - mean);
            var rstd = 1 / Math.Sqrt(sq / n + eps);
            for (var i = 0; i < n; i++)
                y.V[r * n + i] = (row[i] - mean) * rstd * (gamma?.V[i] ?? 1) + (beta?.V[i] ?? 0);
        }
        return y;
    }

    public static R Softmax(R x, bool log = false)
    {
        var n = x.Dim(-1);
        var y = R.Zeros(x.Shape);
        for (var r = 0; r < x.Length / n; r++)
        {
            var row = x.V.AsSpan(r * n, n);
            var max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v - max);
            for (var i = 0; i < n; i++)
                y.V[r * n + i] = log ? row[i] - max - Math.Log(sum) : Math.Exp(row[i] - max) / sum;
        }
        return y;
    }

    public static R CrossEntropy(R logits, int[] targets, int ignoreIndex, double smoothing)
    {
        var c = logits.Dim(-1);
        var logp = Softmax(logits, log: true);
        double total = 0;
        var count = 0;
        for (var r = 0; r < targets.Length; r++)
        {
            if (targets[r] == ignoreIndex) continue;
            count++;
            for (var j = 0; j < c; j++)
            {
                var q = (j == targets[r] ? 1 - smoothing : 0) + smoothing / c;
                total -= q * logp.V[r * c + j];
            }
        }
        return new R([count == 0 ? 0 : total / count]);
    }

    /// <summary>Multi-head attention with the engine's mask semantics and dropout indexing.</summary>
    public static R Attention(R q, R k, R v, int heads, AttentionMask mask, double scale, double p = 0, ulong key = 0)
    {
        var (batch, tq, width) = (q.Dim(0), q.Dim(1), q.Dim(2));
        var tk = k.Dim(1);
        var dk = width / heads;
        var dv = v.Dim(2) / heads;
        var y = R.Zeros(batch, tq, heads * dv);
        var threshold = Mender.Numerics.Kernels.DropoutKernel.Threshold((float)p);
        var keepScale = p > 0 ? Mender.Numerics.Kernels.DropoutKernel.Scale((float)p) : 1.0;
        for (var b = 0; b < batch; b++)
            for (var h = 0; h < heads; h++)
                for (var i = 0; i < tq; i++)
                {
                    var scores = new double[tk];
                    var allowed = new bool[tk];
                    var any = false;
                    for (var j = 0; j < tk; j++)
                    {
                        allowed[j] = (!mask.Causal || j <= i + tk - tq)
                            && (mask.KeyLengths is null || j < mask.KeyLengths[b])
                            && (mask.KeyPadding is null || !mask.KeyPadding[b * tk + j]);
                        any |= allowed[j];
                        double s = 0;
                        for (var d = 0; d < dk; d++)
                            s += q.V[(b * tq + i) * width + h * dk + d] * k.V[(b * tk + j) * width + h * dk + d];
                        scores[j] = s * scale;
                    }
                    if (!any) continue;
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < tk; j++) if (allowed[j]) max = Math.Max(max, scores[j]);
                    double sum = 0;
                    for (var j = 0; j < tk; j++) sum += allowed[j] ? Math.Exp(scores[j] - max) : 0;
                    for (var j = 0; j < tk; j++)
                    {
                        var w = allowed[j] ? Math.Exp(scores[j] - max) / sum : 0;
                        if (p > 0)
                        {
                            var index = (uint)(((b * heads + h) * tq + i) * tk + j);
                            w = Mender.Numerics.Kernels.DropoutKernel.Keep(key, index, threshold) ? w * keepScale : 0;
                        }
                        for (var d = 0; d < dv; d++)
                            y.V[(b * tq + i) * heads * dv + h * dv + d] += w * v.V[(b * tk + j) * heads * dv + h * dv + d];
                    }
                }
        return y;
    }

    /// <summary>Columns [start, start + width) of the last dimension.</summary>
    public static R Columns(R x, int start, int width)
    {
        var n = x.Dim(-1);
        var rows = x.Length / n;
        var shape = x.Shape.ToArray();
        shape[^1] = width;
        var y = R.Zeros(shape);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < width; c++)
                y.V[r * width + c] = x.V[r * n + start + c];
        return y;
    }

    public static R IndexSelect(R x, int[] ids)
    {
        var width = x.Length / x.Dim(0);
        var shape = new[] { ids.Length }.Concat(x.Shape.Skip(1)).ToArray();
        var y = R.Zeros(shape);
        for (var i = 0; i < ids.Length; i++)
            Array.Copy(x.V, ids[i] * width, y.V, i * width, width);
        return y;
    }

    public static R Gather(R x, int[] ids, int perRow)
    {
        var c = x.Dim(-1);
        var rows = x.Length / c;
        var shape = x.Shape.ToArray();
        shape[^1] = perRow;
        var y = R.Zeros(shape);
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < perRow; j++)
                y.V[r * perRow + j] = x.V[r * c + ids[r * perRow + j]];
        return y;
    }

    public static R Transpose(R x, int a0, int a1)
    {
        var rank = x.Rank;
        a0 = a0 < 0 ? a0 + rank : a0;
        a1 = a1 < 0 ? a1 + rank : a1;
        var shape = x.Shape.ToArray();
        (shape[a0], shape[a1]) = (shape[a1], shape[a0]);
        var y = R.Zeros(shape);
        var index = new int[rank];
        for (var flat = 0; flat < x.Length; flat++)
        {
            var rem = flat;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d] = rem % x.Shape[d];
                rem /= x.Shape[d];
            }
            (index[a0], index[a1]) = (index[a1], index[a0]);
            var o = 0;
            for (var d = 0; d < rank; d++) o = o * shape[d] + index[d];
            y.V[o] = x.V[flat];
        }
        return y;
    }

    public static R Concat(R[] parts, int axis)
    {
        var a = axis < 0 ? axis + parts[0].Rank : axis;
        var shape = parts[0].Shape.ToArray();
        shape[a] = parts.Sum(p => p.Shape[a]);
        var outer = shape.Take(a).Aggregate(1, (p, d) => p * d);
        var inner = shape.Skip(a + 1).Aggregate(1, (p, d) => p * d);
        var y = R.Zeros(shape);
        var offset = 0;
        foreach (var p in parts)
        {
            var w = p.Shape[a] * inner;
            for (var o = 0; o < outer; o++) Array.Copy(p.V, o * w, y.V, o * shape[a] * inner + offset, w);
            offset += w;
        }
        return y;
    }

    public static R Slice(R x, int axis, int start, int length)
    {
        var a = axis < 0 ? axis + x.Rank : axis;
        var shape = x.Shape.ToArray();
        shape[a] = length;
        var outer = shape.Take(a).Aggregate(1, (p, d) => p * d);
        var inner = shape.Skip(a + 1).Aggregate(1, (p, d) => p * d);
        var y = R.Zeros(shape);
        for (var o = 0; o < outer; o++)
            Array.Copy(x.V, o * x.Shape[a] * inner + start * inner, y.V, o * length * inner, length * inner);
        return y;
    }

    public static R L2Normalize(R x, double eps)
    {
        var n = x.Dim(-1);
        var y = R.Zeros(x.Shape);
        for (var r = 0; r < x.Length / n; r++)
        {
            double sq = 0;
            for (var i = 0; i < n; i++) sq += x.V[r * n + i] * x.V[r * n + i];
            var norm = Math.Max(Math.Sqrt(sq), eps);
            for (var i = 0; i < n; i++) y.V[r * n + i] = x.V[r * n + i] / norm;
        }
        return y;
    }

    public static R PairwiseSquaredDistance(R x, R c)
    {
        var (n, k, d) = (x.Dim(0), c.Dim(0), x.Dim(1));
        var y = R.Zeros(n, k);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < k; j++)
            {
                double s = 0;
                for (var p = 0; p < d; p++)
                {
                    var diff = x.V[i * d + p] - c.V[j * d + p];
                    s += diff * diff;
                }
                y.V[i * k + j] = s;
            }
        return y;
    }

    public static R MeanSquaredError(R a, R b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++) s += (a.V[i] - b.V[i]) * (a.V[i] - b.V[i]);
        return new R([s / a.Length]);
    }
}
