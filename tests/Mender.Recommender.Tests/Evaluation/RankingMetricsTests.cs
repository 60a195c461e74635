using Mender.Recommender.Evaluation;

namespace Mender.Recommender.Tests.Evaluation;

public class RankingMetricsTests
{
    [Theory]
    [InlineData(0, 5, 1.0, 1.0)]
    [InlineData(1, 5, 1.0, 0.6309297535714575)] // 1 / log2(3)
    [InlineData(4, 5, 1.0, 0.38685280723454163)] // 1 / log2(6)
    [InlineData(5, 5, 0.0, 0.0)]
    [InlineData(9, 10, 1.0, 0.28906482631788782)] // 1 / log2(11)
    [InlineData(-1, 10, 0.0, 0.0)]
    public void SingleTargetMetricsMatchHandComputedValues(int rank, int k, double recall, double ndcg)
    {
        Assert.Equal(recall, RankingMetrics.RecallAt(rank, k));
        Assert.Equal(ndcg, RankingMetrics.NdcgAt(rank, k), 12);
    }

    [Fact]
    public void RankOfFindsPositionOrMinusOne()
    {
        int[] ranked = [7, 3, 9];
        Assert.Equal(1, RankingMetrics.RankOf(ranked, 3));
        Assert.Equal(-1, RankingMetrics.RankOf(ranked, 4));
    }

    [Fact]
    public void SetMetricsMatchHandComputedValues()
    {
        int[] ranked = [1, 2, 3, 4, 5];
        var relevant = new HashSet<int> { 2, 5, 8 };
        // Hits at 0-based ranks 1 and 4: DCG = 1/log2(3) + 1/log2(6); ideal puts three hits first: 1 + 1/log2(3) + 1/2.
        var dcg = 1 / Math.Log2(3) + 1 / Math.Log2(6);
        var idcg = 1 + 1 / Math.Log2(3) + 0.5;
        Assert.Equal(dcg / idcg, RankingMetrics.NdcgAt(ranked, relevant, 5), 12);
        Assert.Equal(2.0 / 3.0, RankingMetrics.RecallAt(ranked, relevant, 5), 12);
        Assert.Equal(1.0 / 3.0, RankingMetrics.RecallAt(ranked, relevant, 2), 12);
        Assert.Equal(0.0, RankingMetrics.NdcgAt(ranked, new HashSet<int>(), 5));
    }
}
