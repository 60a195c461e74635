using Mender.Llm.Kernels.Formats;

namespace Mender.Llm.Kernels;

/// <summary>Portable row kernels for one weight format, for CPUs without AVX2/FMA: decode 32 elements, then plain loops.</summary>
internal static unsafe class RowKernelsScalar<TFormat> where TFormat : IWeightFormat
{
    public static float Dot1(byte* row, float* x, int n)
    {
        var sums = stackalloc float[1];
        Dot(row, n, &x, sums, 1);
        return sums[0];
    }

    public static void Dot4(byte* row, int n, float** xs, float* sums) => Dot(row, n, xs, sums, 4);

    public static void Dot8(byte* row, int n, float** xs, float* sums) => Dot(row, n, xs, sums, 8);

    public static void Dequantize(byte* row, int start, int count, float* dst)
    {
        for (var done = 0; done < count; done += 32)
            TFormat.DecodeScalar(row, (start + done) / 32, dst + done, Math.Min(32, count - done));
    }

    private static void Dot(byte* row, int n, float** xs, float* sums, int tokens)
    {
        var buffer = stackalloc float[32];
        for (var t = 0; t < tokens; t++) sums[t] = 0;
        for (var done = 0; done < n; done += 32)
        {
            var count = Math.Min(32, n - done);
            TFormat.DecodeScalar(row, done / 32, buffer, count);
            for (var t = 0; t < tokens; t++)
            {
                var x = xs[t] + done;
                var s = 0f;
                for (var i = 0; i < count; i++) s += buffer[i] * x[i];
                sums[t] += s;
            }
        }
    }
}
