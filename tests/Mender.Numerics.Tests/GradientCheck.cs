using Mender.Numerics.Autograd;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;

namespace Mender.Numerics.Tests;

/// <summary>
/// Checks an engine computation against its float64 reference: the forward values must agree, and the engine's
/// backward gradients must match central finite differences of the reference. The scalar under test is
/// Σ wᵢ·yᵢ with fixed random weights w, so every output element contributes with a distinct weight.
/// </summary>
internal static class GradientCheck
{
    public const double Step = 1e-5;

    /// <summary>An input: its shape and optional custom values (random in [−1, 1] otherwise).</summary>
    public sealed record Input(int[] Shape, float[]? Values = null);

    public static Input In(params int[] shape) => new(shape);

    public static Input InValues(float[] values, params int[] shape) => new(shape, values);

    /// <summary>Runs the check; forward agreement within forwardTol (relative to the output scale), gradients within gradTol.</summary>
    public static void Run(Input[] inputs, Func<Tensor[], Tensor> engine, Func<R[], R> reference, ulong seed = 1,
        double forwardTol = 1e-4, double gradTol = 2e-3, bool[]? checkGrad = null)
    {
        var rng = new Rng(seed);
        var values = inputs.Select(i => i.Values ?? RandomValues(rng, Length(i.Shape))).ToArray();
        var leaves = inputs.Select((input, i) => Tensor.FromArray(values[i], input.Shape)).ToArray();
        for (var i = 0; i < leaves.Length; i++) leaves[i].RequiresGrad = checkGrad?[i] ?? true;

        float[] engineOut;
        int[] outShape;
        float[][] grads;
        float[] weights;
        using (var tape = Tape.Record())
        {
            var y = engine(leaves);
            outShape = y.Shape.ToArray();
            weights = RandomValues(new Rng(seed + 99), y.Length);
            engineOut = y.ToArray();
            var loss = Ops.Sum(Ops.Mul(y, Tensor.FromArray(weights, outShape)));
            tape.Backward(loss);
            grads = leaves.Select(l => l.Grad?.ToArray() ?? new float[l.Length]).ToArray();
        }

        var refInputs = inputs.Select((input, i) => R.From(values[i], input.Shape)).ToArray();
        var refOut = reference(refInputs);
        Assert.Equal(outShape, refOut.Shape);
        AssertClose(refOut.V, engineOut, forwardTol, "forward");

        for (var i = 0; i < inputs.Length; i++)
        {
            if (!(checkGrad?[i] ?? true)) continue;
            var fd = new double[values[i].Length];
            var x = refInputs[i].V;
            for (var j = 0; j < x.Length; j++)
            {
                var saved = x[j];
                x[j] = saved + Step;
                var plus = Weighted(reference(refInputs), weights);
                x[j] = saved - Step;
                var minus = Weighted(reference(refInputs), weights);
                x[j] = saved;
                fd[j] = (plus - minus) / (2 * Step);
            }
            AssertClose(fd, grads[i], gradTol, $"gradient of input {i}");
        }
    }

    /// <summary>
    /// The same check for a module: its parameters (set to random values first) join the inputs, and the reference
    /// reads them by dotted name. <paramref name="reference"/> is called once per finite-difference evaluation.
    /// </summary>
    public static void RunModule(Mender.Numerics.Modules.Module module, Input[] inputs, Func<Tensor[], Tensor> engine,
        Func<R[], IReadOnlyDictionary<string, R>, R> reference, ulong seed = 1, double forwardTol = 1e-4, double gradTol = 2e-3)
    {
        var rng = new Rng(seed);
        var parameters = module.NamedParameters().ToList();
        foreach (var (_, p) in parameters) rng.FillUniform(p.Span, -0.6f, 0.6f);
        var values = inputs.Select(i => i.Values ?? RandomValues(rng, Length(i.Shape))).ToArray();
        var leaves = inputs.Select((input, i) => Tensor.FromArray(values[i], input.Shape)).ToArray();
        foreach (var leaf in leaves) leaf.RequiresGrad = true;
        module.ZeroGrad();

        float[] engineOut;
        float[] weights;
        int[] outShape;
        using (var tape = Tape.Record())
        {
            var y = engine(leaves);
            outShape = y.Shape.ToArray();
            weights = RandomValues(new Rng(seed + 99), y.Length);
            engineOut = y.ToArray();
            tape.Backward(Ops.Sum(Ops.Mul(y, Tensor.FromArray(weights, outShape))));
        }

        var refInputs = inputs.Select((input, i) => R.From(values[i], input.Shape)).ToArray();
        var refParams = parameters.ToDictionary(p => p.Key, p => R.From(p.Value.ToArray(), p.Value.Shape.ToArray()));
        var refOut = reference(refInputs, refParams);
        Assert.Equal(outShape, refOut.Shape);
        AssertClose(refOut.V, engineOut, forwardTol, "forward");

        var targets = refInputs.Select((r, i) => (Name: $"input {i}", Values: r.V, Grad: leaves[i].Grad?.ToArray()))
            .Concat(parameters.Select(p => (Name: p.Key, Values: refParams[p.Key].V, Grad: p.Value.Grad?.ToArray())));
        foreach (var (name, x, grad) in targets)
        {
            var fd = new double[x.Length];
            for (var j = 0; j < x.Length; j++)
            {
                var saved = x[j];
                x[j] = saved + Step;
                var plus = Weighted(reference(refInputs, refParams), weights);
                x[j] = saved - Step;
                var minus = Weighted(reference(refInputs, refParams), weights);
                x[j] = saved;
                fd[j] = (plus - minus) / (2 * Step);
            }
            AssertClose(fd, grad ?? new float[x.Length], gradTol, $"gradient of {name}");
        }
    }

    private static double Weighted(R y, float[] w)
    {
        double s = 0;
        for (var i = 0; i < y.Length; i++) s += y.V[i] * w[i];
        return s;
    }

    /// <summary>max |expected − actual| ≤ tol · max(1, max |expected|).</summary>
    public static void AssertClose(double[] expected, float[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1, worst = 0;
        var at = -1;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (var i = 0; i < expected.Length; i++)
        {
            var err = Math.Abs(expected[i] - actual[i]);
            if (double.IsNaN(actual[i])) err = double.PositiveInfinity;
            if (err > worst)
            {
                worst = err;
                at = i;
            }
        }
        Assert.True(worst <= tol * scale,
            $"{what}: element {at} is {(at >= 0 ? actual[at] : 0)}, expected {(at >= 0 ? expected[at] : 0)} (error {worst:G3}, allowed {tol * scale:G3})");
    }

    public static float[] RandomValues(Rng rng, int length, float low = -1, float high = 1)
    {
        var v = new float[length];
        rng.FillUniform(v, low, high);
        return v;
    }

    private static int Length(int[] shape) => shape.Aggregate(1, (p, d) => p * d);
}
