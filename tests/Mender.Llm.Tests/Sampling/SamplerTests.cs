using Mender.Llm.Sampling;
using Xunit;

namespace Mender.Llm.Tests.Sampling;

public sealed class SamplerTests
{
    private static float[] RandomLogits(int n, int seed, float scale = 3f)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale).ToArray();
    }

    [Fact]
    public void GreedyPicksTheLargestLogit()
    {
        var logits = RandomLogits(1000, 1);
        var sampler = new Sampler(1000, SamplingOptions.Greedy);
        var expected = Array.IndexOf(logits, logits.Max());
        Assert.Equal(expected, sampler.Sample(logits));
    }

    [Fact]
    public void SameSeedGivesTheSameTokens()
    {
        var options = new SamplingOptions { Temperature = 1.1f, TopK = 50, TopP = 0.9f, MinP = 0.01f, Seed = 42, RepetitionPenalty = 1.1f };
        int[] Run()
        {
            var sampler = new Sampler(5000, options);
            var tokens = new int[200];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = sampler.Sample(RandomLogits(5000, i));
                sampler.Accept(tokens[i]);
            }
            return tokens;
        }
        var first = Run();
        Assert.Equal(first, Run());
        var other = new Sampler(5000, options with { Seed = 43 });
        var differs = false;
        for (var i = 0; i < first.Length && !differs; i++)
        {
            var t = other.Sample(RandomLogits(5000, i));
            other.Accept(t);
            differs = t != first[i];
        }
        Assert.True(differs);
    }

    [Fact]
    public void ResetRestartsTheRandomStream()
    {
        var sampler = new Sampler(100, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0, Seed = 7 });
        var logits = RandomLogits(100, 3, 0.1f);
        var a = Enumerable.Range(0, 20).Select(_ => sampler.Sample(logits)).ToArray();
        sampler.Reset();
        var b = Enumerable.Range(0, 20).Select(_ => sampler.Sample(logits)).ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void FrequenciesFollowTheSoftmaxAtTemperatureOne()
    {
        float[] logits = [2f, 1f, 0.5f, 0f, -1f];
        var sampler = new Sampler(logits.Length, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0, Seed = 5 });
        const int draws = 40000;
        var counts = new int[logits.Length];
        for (var i = 0; i < draws; i++) counts[sampler.Sample(logits)]++;
        var z = logits.Sum(l => Math.Exp(l));
        for (var i = 0; i < logits.Length; i++)
        {
            var p = Math.Exp(logits[i]) / z;
            var sd = Math.Sqrt(p * (1 - p) / draws);
            Assert.InRange((double)counts[i] / draws, p - 5 * sd, p + 5 * sd);
        }
    }

    [Fact]
    public void TemperatureSharpensAndFlattens()
    {
        float[] logits = [1f, 0f];
        double Share(float temperature)
        {
            var sampler = new Sampler(2, new SamplingOptions { Temperature = temperature, TopK = 0, TopP = 1, MinP = 0, Seed = 9 });
            return Enumerable.Range(0, 20000).Count(_ => sampler.Sample(logits) == 0) / 20000.0;
        }
        var p1 = Math.Exp(1) / (Math.Exp(1) + 1);
        var pCold = Math.Exp(2) / (Math.Exp(2) + 1);
        var pHot = Math.Exp(0.5) / (Math.Exp(0.5) + 1);
        Assert.InRange(Share(1f), p1 - 0.02, p1 + 0.02);
        Assert.InRange(Share(0.5f), pCold - 0.02, pCold + 0.02);
        Assert.InRange(Share(2f), pHot - 0.02, pHot + 0.02);
    }

    [Fact]
    public void TopKTopPAndMinPOnlyEverDrawFromTheirSets()
    {
        var logits = RandomLogits(2000, 11);
        var order = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ToArray();

        var topK = new Sampler(logits.Length, new SamplingOptions { Temperature = 1, TopK = 5, TopP = 1, MinP = 0, Seed = 1 });
        var allowed = order.Take(5).ToHashSet();
        var seen = new HashSet<int>();
        for (var i = 0; i < 3000; i++) seen.Add(topK.Sample(logits));
        Assert.Subset(allowed, seen);
        Assert.Equal(5, seen.Count);

        var max = logits.Max();
        var z = logits.Sum(l => Math.Exp(l - max));
        var cumulative = 0.0;
        var nucleus = new HashSet<int>();
        foreach (var id in order)
        {
            nucleus.Add(id);
            cumulative += Math.Exp(logits[id] - max) / z;
            if (cumulative >= 0.5) break;
        }
        var topP = new Sampler(logits.Length, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 0.5f, MinP = 0, Seed = 2 });
        for (var i = 0; i < 3000; i++) Assert.Contains(topP.Sample(logits), nucleus);

        var minP = new Sampler(logits.Length, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0.5f, Seed = 3 });
        for (var i = 0; i < 3000; i++)
            Assert.True(logits[minP.Sample(logits)] >= max + MathF.Log(0.5f));
    }

    [Fact]
    public void RepetitionPenaltyDemotesRecentTokens()
    {
        float[] logits = [2f, 1.9f, -3f];
        var sampler = new Sampler(3, SamplingOptions.Greedy with { RepetitionPenalty = 1.5f, PenaltyWindow = 2 });
        Assert.Equal(0, sampler.Sample(logits));
        sampler.Accept(0);
        Assert.Equal(1, sampler.Sample(logits));
        sampler.Accept(1);
        sampler.Accept(2);
        // Token 0 left the window of two; token 1 is penalized now.
        Assert.Equal(0, sampler.Sample(logits));
    }

    [Fact]
    public void FrequencyAndPresencePenaltiesSubtract()
    {
        float[] logits = [1f, 0.5f];
        var sampler = new Sampler(2, SamplingOptions.Greedy with { FrequencyPenalty = 0.2f, PresencePenalty = 0.05f });
        sampler.Accept(0);
        Assert.Equal(0, sampler.Sample(logits));
        sampler.Accept(0);
        sampler.Accept(0);
        Assert.Equal(1, sampler.Sample(logits));
    }

    [Fact]
    public void MaskRestrictsTheDraw()
    {
        var logits = RandomLogits(300, 4);
        var allowed = new ulong[5];
        int[] permitted = [3, 77, 150, 299];
        foreach (var id in permitted) allowed[id >> 6] |= 1UL << id;
        var greedy = new Sampler(300, SamplingOptions.Greedy);
        Assert.Equal(permitted.OrderByDescending(i => logits[i]).First(), greedy.Sample(logits, allowed));
        var random = new Sampler(300, new SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0, Seed = 4 });
        for (var i = 0; i < 500; i++) Assert.Contains(random.Sample(logits, allowed), permitted);
        Assert.Throws<InvalidOperationException>(() => greedy.Sample(logits, new ulong[5]));
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Sampler(10, new SamplingOptions { TopP = 0 }));
        Assert.Throws<ArgumentException>(() => new Sampler(10, new SamplingOptions { MinP = 1 }));
        Assert.Throws<ArgumentException>(() => new Sampler(10, new SamplingOptions { TopK = -1 }));
        Assert.Throws<ArgumentException>(() => new Sampler(10, SamplingOptions.Greedy).Sample(new float[9]));
    }
}
