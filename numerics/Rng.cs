using System.Runtime.CompilerServices;

namespace Mender.Numerics;

/// <summary>
/// Seeded random numbers (xoshiro256** seeded through SplitMix64): the same seed gives the same parameters,
/// dropout masks and shuffles on every machine and thread count.
/// </summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;

    /// <summary>A generator whose whole sequence follows from the seed.</summary>
    public Rng(ulong seed)
    {
        var x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>The generator's state, for checkpoints.</summary>
    public ulong[] State
    {
        get => [s0, s1, s2, s3];
        set
        {
            if (value.Length != 4 || (value[0] | value[1] | value[2] | value[3]) == 0)
                throw new ArgumentException("an Rng state is four 64-bit words, not all zero", nameof(value));
            (s0, s1, s2, s3) = (value[0], value[1], value[2], value[3]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, bound).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        return (int)((NextUInt64() >> 33) * (ulong)bound >> 31);
    }

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fills the span with values uniform in [low, high).</summary>
    public void FillUniform(Span<float> target, float low, float high)
    {
        for (var i = 0; i < target.Length; i++) target[i] = low + (high - low) * NextFloat();
    }

    /// <summary>Fills the span with values from N(mean, std²).</summary>
    public void FillNormal(Span<float> target, float mean, float std)
    {
        for (var i = 0; i < target.Length; i++) target[i] = (float)(mean + std * NextGaussian());
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// A counter-based hash of (key, index): dropout draws one key per call and hashes element indices, so masks
    /// need no storage (backward regenerates them) and do not depend on how the work is split across threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(ulong key, uint index)
    {
        var x = index * 0x9E3779B9u ^ (uint)key;
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15 ^ (uint)(key >> 32);
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }
}
