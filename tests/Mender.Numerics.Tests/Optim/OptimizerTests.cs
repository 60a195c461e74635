using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Optim;

/// <summary>Optimizer updates, schedules and clipping against values worked out by hand (PyTorch's formulas).</summary>
public sealed class OptimizerTests
{
    private static Tensor Parameter(params float[] values)
    {
        var t = Tensor.FromArray(values, values.Length);
        t.RequiresGrad = true;
        return t;
    }

    private static void SetGrad(Tensor p, params float[] g)
    {
        p.ZeroGrad();
        var grad = p.AcquireGrad(out _);
        g.CopyTo(grad.Span);
    }

    [Fact]
    public void AdamWMatchesHandComputedSteps()
    {
        var p = Parameter(1f, -2f);
        var adam = new AdamW([p], learningRate: 0.1f, weightDecay: 0.01f);
        SetGrad(p, 0.5f, 0f);
        adam.Step();
        // p·(1 − 0.001) − 0.1·m̂/(√v̂ + ε) with m̂ = 0.5, v̂ = 0.25 for the first element, m̂ = v̂ = 0 for the second.
        Assert.Equal(0.899f, p[0], 6);
        Assert.Equal(-1.998f, p[1], 6);
        SetGrad(p, 0.5f, 0f);
        adam.Step();
        Assert.Equal(0.899f * 0.999f - 0.1f, p[0], 5);
        Assert.Equal(-1.998f * 0.999f, p[1], 5);
    }

    [Fact]
    public void AdamWSparesParametersTheDecayFilterExcludes()
    {
        var matrix = Tensor.FromArray([1f, 1f], 1, 2);
        matrix.RequiresGrad = true;
        var bias = Parameter(1f);
        var adam = new AdamW([matrix, bias], learningRate: 0.1f, weightDecay: 0.5f, decays: AdamW.MatricesOnly);
        SetGrad(matrix, 0f, 0f);
        SetGrad(bias, 0f);
        adam.Step();
        Assert.Equal(0.95f, matrix[0, 0], 6);
        Assert.Equal(1f, bias[0]);
    }

    [Fact]
    public void ParametersWithoutGradientAreLeftAlone()
    {
        var used = Parameter(1f);
        var unused = Parameter(1f);
        var adam = new AdamW([used, unused], learningRate: 0.1f, weightDecay: 0.1f);
        SetGrad(used, 1f);
        unused.ZeroGrad();
        adam.Step();
        Assert.Equal(1f, unused[0]);
        Assert.NotEqual(1f, used[0]);
    }

    [Fact]
    public void StateRoundTripsIntoAFreshOptimizer()
    {
        var p = Parameter(1f, 2f);
        var adam = new AdamW([p], learningRate: 0.1f);
        SetGrad(p, 0.3f, -0.2f);
        adam.Step();
        var state = adam.State().ToDictionary(kv => kv.Key, kv => kv.Value);
        var q = Parameter(p.ToArray());
        var restored = new AdamW([q], learningRate: 0.1f);
        restored.LoadState(state, "memory");
        SetGrad(p, 0.1f, 0.1f);
        SetGrad(q, 0.1f, 0.1f);
        adam.Step();
        restored.Step();
        Assert.Equal(p.ToArray(), q.ToArray());
        state.Remove("0.exp_avg");
        Assert.Contains("lacks tensor '0.exp_avg'", Assert.Throws<InvalidDataException>(() => restored.LoadState(state, "memory")).Message);
    }

    [Fact]
    public void TheWeightAverageFollowsItsRecurrenceInFloat64AndSwapsBothWays()
    {
        var p = Parameter(1f, -2f, 0.5f);
        var adam = new AdamW([p], learningRate: 0.05f, weightDecay: 0.1f, averageDecay: 0.9f);
        var average = p.ToArray().Select(v => (double)v).ToArray();
        var rng = new Rng(3);
        for (var t = 1; t <= 40; t++)
        {
            SetGrad(p, rng.NextFloat() - 0.5f, rng.NextFloat() - 0.5f, rng.NextFloat() - 0.5f);
            adam.Step();
            var keep = Math.Min(0.9, (1.0 + t) / (10.0 + t));
            for (var i = 0; i < average.Length; i++) average[i] = keep * average[i] + (1 - keep) * p[i];
        }
        var weights = p.ToArray();
        adam.SwapAverages();
        for (var i = 0; i < average.Length; i++) Assert.Equal(average[i], p[i], 5);
        Assert.NotEqual(weights, p.ToArray());
        adam.SwapAverages();
        Assert.Equal(weights, p.ToArray());
    }

    [Fact]
    public void TheWeightAverageRoundTripsWithTheOptimizerState()
    {
        var p = Parameter(1f, 2f);
        var adam = new AdamW([p], learningRate: 0.1f, averageDecay: 0.5f);
        SetGrad(p, 0.3f, -0.2f);
        adam.Step();
        var state = adam.State().ToDictionary(kv => kv.Key, kv => kv.Value);
        var q = Parameter(p.ToArray());
        var restored = new AdamW([q], learningRate: 0.1f, averageDecay: 0.5f);
        restored.LoadState(state, "memory");
        SetGrad(p, 0.1f, 0.1f);
        SetGrad(q, 0.1f, 0.1f);
        adam.Step();
        restored.Step();
        adam.SwapAverages();
        restored.SwapAverages();
        Assert.Equal(p.ToArray(), q.ToArray());
        state.Remove("0.average");
        Assert.Contains("lacks tensor '0.average'", Assert.Throws<InvalidDataException>(() => restored.LoadState(state, "memory")).Message);
        Assert.Throws<InvalidOperationException>(() => new AdamW([Parameter(1f)]).SwapAverages());
    }

    [Fact]
    public void WarmupCosineScheduleRisesThenDecaysToTheFloor()
    {
        var s = new WarmupCosineSchedule(peakRate: 1f, warmupSteps: 10, totalSteps: 110, minRate: 0.1f);
        Assert.Equal(0.1f, s.At(1), 6);
        Assert.Equal(1f, s.At(10), 6);
        Assert.Equal(0.55f, s.At(60), 5);
        Assert.Equal(0.1f, s.At(110), 6);
        Assert.Equal(0.1f, s.At(500), 6);
        var p = Parameter(1f);
        var adam = new AdamW([p], learningRate: 0);
        s.Apply(adam);
        Assert.Equal(0.1f, adam.LearningRate, 6);
    }

    [Fact]
    public void WarmupCosineScheduleFollowsTheTimeBudgetWhenItRunsOutFirst()
    {
        var s = new WarmupCosineSchedule(peakRate: 1f, warmupSteps: 10, totalSteps: 1010, minRate: 0f);
        Assert.Equal(1f, s.At(10, 0.5), 6);
        Assert.Equal(0.5f, s.At(11, 0.5), 4);
        Assert.Equal(s.At(510), s.At(510, 0.2), 6);
        Assert.Equal(0f, s.At(20, 1.0), 6);
        Assert.Equal(s.At(20), s.At(20, 0), 6);
        Assert.True(s.At(500, 0.9) < s.At(500, 0.1));
    }

    [Fact]
    public void InverseSqrtScheduleDecaysAsOneOverRootStep()
    {
        var s = new InverseSqrtSchedule(peakRate: 0.01f, warmupSteps: 100);
        Assert.Equal(0.005f, s.At(50), 6);
        Assert.Equal(0.01f, s.At(100), 6);
        Assert.Equal(0.005f, s.At(400), 6);
    }

    [Fact]
    public void GlobalNormClippingScalesAllGradientsTogether()
    {
        var a = Parameter(0f);
        var b = Parameter(0f);
        SetGrad(a, 3f);
        SetGrad(b, 4f);
        var norm = GradientClipping.ClipGlobalNorm([a, b], maxNorm: 1f);
        Assert.Equal(5f, norm, 5);
        Assert.Equal(0.6f, a.Grad![0], 5);
        Assert.Equal(0.8f, b.Grad![0], 5);
        Assert.Equal(1f, GradientClipping.ClipGlobalNorm([a, b], maxNorm: 2f), 4);
        Assert.Equal(0.6f, a.Grad![0], 5);
    }
}
