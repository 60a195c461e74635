using Mender.Numerics.Tensors;

namespace Mender.Numerics.Optim;

/// <summary>
/// Adagrad as torch.optim.Adagrad: g ← g + wd·p; s ← s + g²; p ← p − lr_t·g/(√s + ε), with
/// lr_t = lr/(1 + (t−1)·lrDecay).
/// </summary>
public sealed class Adagrad : Optimizer
{
    private readonly float[][] sum;

    public Adagrad(IEnumerable<Tensor> parameters, float learningRate = 1e-2f, float lrDecay = 0f, float weightDecay = 0f,
        float initialAccumulator = 0f, float eps = 1e-10f)
        : base(parameters, learningRate)
    {
        LrDecay = lrDecay;
        WeightDecay = weightDecay;
        Eps = eps;
        sum = ZeroBuffers();
        if (initialAccumulator != 0)
            foreach (var s in sum) Array.Fill(s, initialAccumulator);
    }

    public float LrDecay { get; }
    public float WeightDecay { get; }
    public float Eps { get; }

    protected override void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g)
    {
        var clr = LearningRate / (1 + (Steps[index] - 1) * LrDecay);
        var s = sum[index].AsSpan(offset, p.Length);
        for (var i = 0; i < p.Length; i++)
        {
            var gi = g[i] + WeightDecay * p[i];
            s[i] += gi * gi;
            p[i] -= clr * gi / (MathF.Sqrt(s[i]) + Eps);
        }
    }

    protected override IEnumerable<(string Name, float[][] Buffers)> StateBuffers()
    {
        yield return ("sum", sum);
    }
}
