namespace Mender.Recommender.Demo;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small generator whose sequence is fixed by its definition, so a demo world
/// is the same on every machine and .NET version (System.Random's seeded sequence is an implementation detail).
/// </summary>
internal sealed class DemoRandom
{
    private ulong s0, s1, s2, s3;

    public DemoRandom(long seed, long stream = 0)
    {
        var x = (ulong)seed ^ ((ulong)stream * 0xD1B54A32D192ED03UL);
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
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
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)(NextDouble() * n);
    }

    /// <summary>Uniform in [min, max] inclusive.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box-Muller).</summary>
    public double Normal()
    {
        var u = 1.0 - NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * NextDouble());
    }

    /// <summary>Exponential with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An index drawn with probability proportional to its weight (weights are non-negative, not all zero).</summary>
    public int Weighted(ReadOnlySpan<double> weights, double total)
    {
        var target = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0) return i;
        }
        for (var i = weights.Length - 1; i >= 0; i--)
            if (weights[i] > 0) return i;
        throw new ArgumentException("all weights are zero", nameof(weights));
    }
}
