using System.Numerics;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter), matching torch.optim.AdamW:
/// p ← p − lr·wd·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
/// Weight decay applies to the parameters the constructor's <c>decays</c> selects (all by default;
/// <see cref="MatricesOnly"/> spares biases and norm scales).
/// </summary>
public sealed class AdamW : Optimizer
{
    private readonly float[][] m;
    private readonly float[][] v;
    private readonly bool[] decay;

    /// <summary>
    /// AdamW over the parameters; weight decay applies to those the decay filter selects. A nonzero
    /// <paramref name="averageDecay"/> keeps a moving average of the weights (<see cref="Optimizer.AverageDecay"/>).
    /// </summary>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, float weightDecay = 0.01f, Func<Tensor, bool>? decays = null, float averageDecay = 0)
        : base(parameters, learningRate, averageDecay)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        m = ZeroBuffers();
        v = ZeroBuffers();
        decay = new bool[Parameters.Count];
        for (var i = 0; i < decay.Length; i++) decay[i] = decays?.Invoke(Parameters[i]) ?? true;
    }

    /// <summary>Decay weight matrices and embeddings, not biases or normalization scales.</summary>
    public static bool MatricesOnly(Tensor parameter) => parameter.Rank >= 2;

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public float Beta1 { get; }
    /// <summary>Decay rate of the second-moment (variance) estimate.</summary>
    public float Beta2 { get; }
    /// <summary>Added to the root of the second moment so that updates stay finite.</summary>
    public float Eps { get; }
    /// <summary>Decoupled weight decay, scaled by the learning rate.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g)
    {
        var t = Steps[index];
        var lr = LearningRate;
        var bc1 = 1 - Math.Pow(Beta1, t);
        var bc2 = 1 - Math.Pow(Beta2, t);
        var stepSize = (float)(lr / bc1);
        var rootBc2 = (float)Math.Sqrt(bc2);
        var shrink = decay[index] ? 1f - lr * WeightDecay : 1f;
        var (b1, b2, eps) = (Beta1, Beta2, Eps);
        var mi = m[index].AsSpan(offset, p.Length);
        var vi = v[index].AsSpan(offset, p.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            for (; i + w <= p.Length; i += w)
            {
                var gv = new Vector<float>(g[i..]);
                var mv = new Vector<float>(b1) * new Vector<float>(mi[i..]) + new Vector<float>(1 - b1) * gv;
                var vv = new Vector<float>(b2) * new Vector<float>(vi[i..]) + new Vector<float>(1 - b2) * gv * gv;
                mv.CopyTo(mi[i..]);
                vv.CopyTo(vi[i..]);
                var denom = Vector.SquareRoot(vv) / new Vector<float>(rootBc2) + new Vector<float>(eps);
                var pv = new Vector<float>(p[i..]) * new Vector<float>(shrink) - new Vector<float>(stepSize) * mv / denom;
                pv.CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++)
        {
            var gi = g[i];
            mi[i] = b1 * mi[i] + (1 - b1) * gi;
            vi[i] = b2 * vi[i] + (1 - b2) * gi * gi;
            var denom = MathF.Sqrt(vi[i]) / rootBc2 + eps;
            p[i] = p[i] * shrink - stepSize * mi[i] / denom;
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, float[][] Buffers)> StateBuffers()
    {
        yield return ("exp_avg", m);
        yield return ("exp_avg_sq", v);
    }
}
