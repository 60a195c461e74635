using System.Runtime.Intrinsics;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// A ggml block format seen by the kernels: how to turn stored blocks back into floats, one fixed-size chunk at a time,
/// for each SIMD path. The generic kernels in <see cref="RowKernels512{TFormat}"/> and its siblings are specialized per
/// format by the JIT, so these members inline into the loops.
/// </summary>
internal unsafe interface IWeightFormat
{
    static abstract GgmlType Type { get; }

    /// <summary>Elements per block; a row is a whole number of blocks.</summary>
    static abstract int BlockElements { get; }

    static abstract int BlockBytes { get; }

    /// <summary>Elements [64·chunk, 64·chunk + 64) of a row.</summary>
    static abstract void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3);

    /// <summary>Elements [32·chunk, 32·chunk + 32) of a row.</summary>
    static abstract void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3);

    /// <summary>
    /// Elements [32·chunk, 32·chunk + count) of a row into <paramref name="dst"/>. <paramref name="count"/> is 32 except at
    /// the end of a row of a one-element-per-block format (F32, F16, BF16), whose rows need not be multiples of 32.
    /// </summary>
    static abstract void DecodeScalar(byte* row, nint chunk, float* dst, int count);

    /// <summary>Encodes <paramref name="n"/> floats (a whole number of blocks) as one row of this format.</summary>
    static abstract void Quantize(float* src, byte* dst, int n);
}
