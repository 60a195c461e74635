using Mender.Llm.Gguf;
using Mender.Llm.Kernels;
using Xunit;

namespace Mender.Llm.Tests.Kernels;

/// <summary>
/// Every weight format on every SIMD path this CPU has, against the float64 reference: dequantization, and dot products
/// with one, four and eight activation vectors. Kernels are taken per path explicitly, so no global switch is involved.
/// </summary>
public sealed unsafe class FormatKernelTests
{
    public static TheoryData<GgmlType, string, int> Cases()
    {
        var data = new TheoryData<GgmlType, string, int>();
        foreach (var type in FormatKernels.SupportedTypes)
            foreach (var path in Enum.GetValues<SimdPath>())
                foreach (var n in LengthsFor(type))
                    data.Add(type, path.ToString(), n);
        return data;
    }

    // Lengths that hit the 64-element main loop, the 32-element tail and, for float formats, the scalar tail.
    private static int[] LengthsFor(GgmlType type) => GgmlTypeInfo.BlockSize(type) switch
    {
        256 => [256, 768],
        32 => [32, 288, 896],
        _ => [1, 37, 172, 896],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dequantize_matches_float64_reference(GgmlType type, string pathName, int n)
    {
        var path = Enum.Parse<SimdPath>(pathName);
        if (path > KernelPaths.Best) return;
        var rng = new Random(17 * (int)type + n);
        var row = RandomWeights.Row(type, n, rng);
        var expected = ReferenceDequantizer.Row(type, row, n);
        var actual = new float[n];
        var kernels = FormatKernels.For(type, path);
        fixed (byte* r = row)
        fixed (float* a = actual)
            kernels.Dequantize(r, 0, n, a);
        for (var i = 0; i < n; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-12,
                $"{type} {path} element {i}: {actual[i]} vs {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dot_products_match_float64_reference(GgmlType type, string pathName, int n)
    {
        var path = Enum.Parse<SimdPath>(pathName);
        if (path > KernelPaths.Best) return;
        var rng = new Random(31 * (int)type + n);
        var row = RandomWeights.Row(type, n, rng);
        var w = ReferenceDequantizer.Row(type, row, n);
        var xs = Enumerable.Range(0, 8).Select(_ => RandomWeights.Floats(n, rng)).ToArray();
        var kernels = FormatKernels.For(type, path);
        var handles = xs.Select(x => System.Runtime.InteropServices.GCHandle.Alloc(x, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            var pointers = stackalloc float*[8];
            for (var t = 0; t < 8; t++) pointers[t] = (float*)handles[t].AddrOfPinnedObject();
            var sums = stackalloc float[8];
            fixed (byte* r = row)
            {
                Check(0, kernels.Dot1(r, pointers[0], n));
                kernels.Dot4(r, n, pointers, sums);
                for (var t = 0; t < 4; t++) Check(t, sums[t]);
                kernels.Dot8(r, n, pointers, sums);
                for (var t = 0; t < 8; t++) Check(t, sums[t]);
            }
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }

        void Check(int t, float actual)
        {
            double exact = 0, magnitude = 0;
            for (var i = 0; i < n; i++)
            {
                exact += w[i] * xs[t][i];
                magnitude += Math.Abs(w[i] * xs[t][i]);
            }
            Assert.True(Math.Abs(actual - exact) <= 1e-5 * magnitude + 1e-12,
                $"{type} {path} n={n} token {t}: {actual} vs {exact} (|terms| {magnitude})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dequantize_from_an_offset_matches_whole_row(GgmlType type, string pathName, int n)
    {
        var path = Enum.Parse<SimdPath>(pathName);
        if (path > KernelPaths.Best || n < 256) return;
        var rng = new Random(5 * (int)type + n);
        var row = RandomWeights.Row(type, n, rng);
        var whole = ReferenceDequantizer.Row(type, row, n);
        var part = new float[n - 256];
        fixed (byte* r = row)
        fixed (float* p = part)
            FormatKernels.For(type, path).Dequantize(r, 256, n - 256, p);
        for (var i = 0; i < part.Length; i++)
            Assert.True(Math.Abs(part[i] - whole[256 + i]) <= 1e-6 * Math.Abs(whole[256 + i]) + 1e-12, $"{type} {path} element {256 + i}");
    }

    [Theory]
    [InlineData(GgmlType.F16, 1e-3)]
    [InlineData(GgmlType.BF16, 8e-3)]
    [InlineData(GgmlType.Q8_0, 1e-2)]
    [InlineData(GgmlType.Q4_0, 0.15)]
    [InlineData(GgmlType.Q5_0, 0.07)]
    [InlineData(GgmlType.Q4_K, 0.2)]
    [InlineData(GgmlType.Q5_K, 0.1)]
    [InlineData(GgmlType.Q6_K, 0.05)]
    public void Quantize_round_trips_within_the_format_resolution(GgmlType type, double relativeRms)
    {
        const int n = 1024;
        var x = RandomWeights.Floats(n, new Random(3));
        var row = new byte[GgmlTypeInfo.RowBytes(type, n)];
        fixed (float* src = x)
        fixed (byte* dst = row)
            FormatKernels.Quantize(type, src, dst, n);
        var y = ReferenceDequantizer.Row(type, row, n);
        double err = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            err += (y[i] - x[i]) * (y[i] - x[i]);
            norm += x[i] * (double)x[i];
        }
        Assert.True(Math.Sqrt(err / norm) < relativeRms, $"{type}: relative RMS error {Math.Sqrt(err / norm):g3}");
    }
}
