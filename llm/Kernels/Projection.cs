namespace Mender.Llm.Kernels;

/// <summary>One matrix of a <see cref="MatMul"/> call: y[t][r] = W[r]·x[t] + bias[r], y row-major with Rows columns.</summary>
internal readonly unsafe struct Projection(WeightMatrix weights, float* output, float* bias = null)
{
    public WeightMatrix Weights { get; } = weights;
    public float* Output { get; } = output;

    /// <summary>Added to every output row; null for none.</summary>
    public float* Bias { get; } = bias;
}
