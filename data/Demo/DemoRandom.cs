using Mender.Numerics;

namespace Mender.Data.Demo;

/// <summary>
/// The demo world's random draws on top of <see cref="Rng"/> (xoshiro256**, whose sequence is fixed by its definition,
/// so a demo world is the same on every machine and .NET version). Each user gets its own stream of the same seed.
/// </summary>
internal sealed class DemoRandom(long seed, long stream = 0)
{
    private readonly Rng rng = new((ulong)seed ^ ((ulong)stream * 0xD1B54A32D192ED03UL));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => rng.NextDouble();

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
