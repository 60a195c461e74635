using Mender.Cluster.Evaluation;

namespace Mender.Cluster.Tests;

public sealed class EvaluationSlicesTests
{
    [Theory]
    [InlineData(150, 8, new[] { 0, 64, 128 }, new[] { 64, 64, 22 })]
    [InlineData(1000, 2, new[] { 0, 512 }, new[] { 512, 488 })]
    [InlineData(64, 4, new[] { 0 }, new[] { 64 })]
    [InlineData(0, 4, new int[0], new int[0])]
    public void SlicesAreWholeBatchesThatCoverEveryCaseOnce(int cases, int wanted, int[] starts, int[] counts)
    {
        var slices = ClusterEvaluation.Slices(cases, wanted);

        Assert.Equal(starts, slices.Select(s => s.Start));
        Assert.Equal(counts, slices.Select(s => s.Count));
        Assert.True(slices.Count <= wanted);
        Assert.All(slices, s => Assert.Equal(0, s.Start % Mender.Benchmark.Runs.EvaluationTarget.BatchSize));
    }
}
