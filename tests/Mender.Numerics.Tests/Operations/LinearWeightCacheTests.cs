using Mender.Numerics.Autograd;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Operations;

/// <summary>
/// Inference-time Linear keeps a packed copy of its weight; every way of changing the weight (an optimizer step, a
/// write through the span, CopyFrom, a checkpoint load, a write through another view of the buffer) must reach the
/// next inference, which is checked against a float64 product of the weight as it is now.
/// </summary>
public sealed class LinearWeightCacheTests
{
    private static Tensor Input(ulong seed, params int[] shape) => Tensor.Uniform(new Rng(seed), -1, 1, shape);

    /// <summary>x·wᵀ + b in float64 from the tensors' current values.</summary>
    private static void AssertMatchesFloat64(Tensor y, Tensor x, Tensor w, Tensor? b)
    {
        var (n, k) = (w.Dim(0), w.Dim(1));
        var rows = x.Length / k;
        var (xs, ws, ys) = (x.ToArray(), w.ToArray(), y.ToArray());
        var bs = b?.ToArray();
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < n; j++)
            {
                double s = bs?[j] ?? 0;
                for (var p = 0; p < k; p++) s += (double)xs[i * k + p] * ws[j * k + p];
                Assert.True(Math.Abs(ys[i * n + j] - s) <= 1e-5 * Math.Sqrt(k) * (1 + Math.Abs(s)), $"y[{i},{j}] = {ys[i * n + j]}, expected {s}");
            }
    }

    private static Tensor Infer(Tensor x, Tensor w, Tensor? b)
    {
        using var scope = Tape.NoGrad();
        return Ops.Linear(x, w, b).Clone();
    }

    [Theory]
    [InlineData(1, 70, 48)]
    [InlineData(20, 1152, 128)]
    [InlineData(45, 33, 300)]
    public void InferenceMatchesTheTrainingPathAndFloat64(int rows, int outFeatures, int inFeatures)
    {
        var w = Input(1, outFeatures, inFeatures);
        var b = Input(2, outFeatures);
        var x = Input(3, rows, inFeatures);
        var inferred = Infer(x, w, b);
        AssertMatchesFloat64(inferred, x, w, b);
        w.RequiresGrad = true;
        using var tape = Tape.Record();
        var recorded = Ops.Linear(x, w, b).ToArray();
        var values = inferred.ToArray();
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(recorded[i] - values[i]) <= 1e-4f * (1 + Math.Abs(recorded[i])), $"y[{i}]: {values[i]} vs {recorded[i]}");
    }

    [Fact]
    public void AnOptimizerStepAfterACachedInferenceReachesTheNextInference()
    {
        var layer = new Linear(64, 40, new Rng(5));
        var x = Input(6, 20, 64);
        var before = Infer(x, layer.Weight, layer.Bias);
        AssertMatchesFloat64(before, x, layer.Weight, layer.Bias);

        var optimizer = new AdamW(layer.Parameters(), learningRate: 0.05f);
        using (var tape = Tape.Record())
        {
            var loss = Ops.Sum(layer.Forward(Input(7, 8, 64)) * layer.Forward(Input(7, 8, 64)));
            tape.Backward(loss);
        }
        optimizer.Step();

        var after = Infer(x, layer.Weight, layer.Bias);
        AssertMatchesFloat64(after, x, layer.Weight, layer.Bias);
        Assert.True(MaxDifference(before, after) > 1e-3, "the update should change the output");
    }

    [Fact]
    public void DirectWritesReachTheNextInference()
    {
        var w = Input(8, 50, 32);
        var x = Input(9, 20, 32);
        Infer(x, w, null);

        w.Span[17] += 2f;
        AssertMatchesFloat64(Infer(x, w, null), x, w, null);

        w[3, 4] = -5f;
        AssertMatchesFloat64(Infer(x, w, null), x, w, null);

        w.CopyFrom(Input(10, 50, 32));
        AssertMatchesFloat64(Infer(x, w, null), x, w, null);

        // The weight as a view of another tensor's buffer: a write through the other tensor counts.
        var flat = Input(11, 50 * 32);
        var view = flat.Reshape(50, 32);
        Infer(x, view, null);
        flat.Span.Fill(0.25f);
        AssertMatchesFloat64(Infer(x, view, null), x, view, null);
    }

    [Fact]
    public void ACheckpointLoadReachesTheNextInference()
    {
        var saved = new Linear(32, 24, new Rng(12));
        var layer = new Linear(32, 24, new Rng(13));
        var x = Input(14, 20, 32);
        Infer(x, layer.Weight, layer.Bias);
        var path = Path.Combine(Path.GetTempPath(), $"mender-cache-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.SaveParameters(path, saved);
            Checkpoint.LoadParameters(path, layer);
        }
        finally
        {
            File.Delete(path);
        }
        var after = Infer(x, layer.Weight, layer.Bias);
        AssertMatchesFloat64(after, x, saved.Weight, saved.Bias);
    }

    private static float MaxDifference(Tensor a, Tensor b)
    {
        var (x, y) = (a.ToArray(), b.ToArray());
        var max = 0f;
        for (var i = 0; i < x.Length; i++) max = Math.Max(max, Math.Abs(x[i] - y[i]));
        return max;
    }
}
