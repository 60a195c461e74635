using Mender.Numerics.Tensors;

namespace Mender.Numerics.Optim;

/// <summary>
/// Stochastic gradient descent as torch.optim.SGD: g ← g + wd·p; with momentum μ the buffer starts at g and then
/// b ← μb + (1 − dampening)g, the step using b (or g + μb with Nesterov); p ← p − lr·step.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][] momentumBuffers;

    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float dampening = 0f,
        float weightDecay = 0f, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and no dampening");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        momentumBuffers = ZeroBuffers();
    }

    public float Momentum { get; }
    public float Dampening { get; }
    public float WeightDecay { get; }
    public bool Nesterov { get; }

    protected override void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g)
    {
        var buf = momentumBuffers[index].AsSpan(offset, p.Length);
        var first = Steps[index] == 1;
        var lr = LearningRate;
        for (var i = 0; i < p.Length; i++)
        {
            var gi = g[i] + WeightDecay * p[i];
            if (Momentum != 0)
            {
                buf[i] = first ? gi : Momentum * buf[i] + (1 - Dampening) * gi;
                gi = Nesterov ? gi + Momentum * buf[i] : buf[i];
            }
            p[i] -= lr * gi;
        }
    }

    protected override IEnumerable<(string Name, float[][] Buffers)> StateBuffers()
    {
        yield return ("momentum_buffer", momentumBuffers);
    }
}
