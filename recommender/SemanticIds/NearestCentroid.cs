using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mender.Recommender.SemanticIds;

/// <summary>
/// Nearest-centroid search, the inner loop of k-means and of residual quantization. Squared distance is expanded as
/// ‖x‖² − 2 x·c + ‖c‖², so each point costs one dot product per centroid; on AVX-512 (or AVX2) machines four centroids
/// share each load of x. Points are processed in parallel and each writes only its own outputs.
/// </summary>
internal static class NearestCentroid
{
    /// <summary>‖c‖² for every row of a row-major k × d matrix.</summary>
    public static float[] SquaredNorms(ReadOnlySpan<float> rows, int count, int d)
    {
        var norms = new float[count];
        for (var i = 0; i < count; i++)
        {
            var row = rows.Slice(i * d, d);
            norms[i] = TensorPrimitives.Dot(row, row);
        }
        return norms;
    }

    /// <summary>
    /// For each of the n points (row-major n × d) finds the nearest of k centroids; writes its index and its squared
    /// distance (clamped at zero, since the expanded form can dip just below it).
    /// </summary>
    public static void Assign(float[] points, int n, int d, float[] centroids, int k, int[] assignment, float[] distance,
        CancellationToken cancellation = default)
    {
        var centroidNorms = SquaredNorms(centroids, k, d);
        Parallel.For(0, (n + 63) / 64, new ParallelOptions { CancellationToken = cancellation }, block =>
        {
            var end = Math.Min(n, (block + 1) * 64);
            for (var i = block * 64; i < end; i++)
            {
                var x = points.AsSpan(i * d, d);
                var (best, bestScore) = Nearest(x, centroids, centroidNorms, k, d);
                assignment[i] = best;
                distance[i] = Math.Max(0f, bestScore + TensorPrimitives.Dot(x, x));
            }
        });
    }

    /// <summary>The centroid minimizing ‖c‖² − 2 x·c (ties to the lower index), and that score.</summary>
    public static (int Index, float Score) Nearest(ReadOnlySpan<float> x, ReadOnlySpan<float> centroids,
        ReadOnlySpan<float> centroidNorms, int k, int d)
    {
        var best = 0;
        var bestScore = float.PositiveInfinity;
        var c = 0;
        if (d % 16 == 0 && (Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated))
        {
            Span<float> dots = stackalloc float[4];
            for (; c + 4 <= k; c += 4)
            {
                Dot4(x, centroids.Slice(c * d, 4 * d), d, dots);
                for (var j = 0; j < 4; j++)
                {
                    var score = centroidNorms[c + j] - 2 * dots[j];
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = c + j;
                    }
                }
            }
        }
        for (; c < k; c++)
        {
            var score = centroidNorms[c] - 2 * TensorPrimitives.Dot(x, centroids.Slice(c * d, d));
            if (score < bestScore)
            {
                bestScore = score;
                best = c;
            }
        }
        return (best, bestScore);
    }

    /// <summary>Dot products of x with four consecutive rows; d is a multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4(ReadOnlySpan<float> x, ReadOnlySpan<float> rows, int d, Span<float> dots)
    {
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var p0 = ref MemoryMarshal.GetReference(rows);
        ref var p1 = ref Unsafe.Add(ref p0, d);
        ref var p2 = ref Unsafe.Add(ref p0, 2 * d);
        ref var p3 = ref Unsafe.Add(ref p0, 3 * d);
        if (Vector512.IsHardwareAccelerated)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            var a2 = Vector512<float>.Zero;
            var a3 = Vector512<float>.Zero;
            for (var i = 0; i < d; i += 16)
            {
                var v = Vector512.LoadUnsafe(ref px, (nuint)i);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p0, (nuint)i), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p1, (nuint)i), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p2, (nuint)i), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref p3, (nuint)i), a3);
            }
            dots[0] = Vector512.Sum(a0);
            dots[1] = Vector512.Sum(a1);
            dots[2] = Vector512.Sum(a2);
            dots[3] = Vector512.Sum(a3);
            return;
        }
        var b0 = Vector256<float>.Zero;
        var b1 = Vector256<float>.Zero;
        var b2 = Vector256<float>.Zero;
        var b3 = Vector256<float>.Zero;
        for (var i = 0; i < d; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref px, (nuint)i);
            b0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref p0, (nuint)i), b0);
            b1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref p1, (nuint)i), b1);
            b2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref p2, (nuint)i), b2);
            b3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref p3, (nuint)i), b3);
        }
        dots[0] = Vector256.Sum(b0);
        dots[1] = Vector256.Sum(b1);
        dots[2] = Vector256.Sum(b2);
        dots[3] = Vector256.Sum(b3);
    }
}
