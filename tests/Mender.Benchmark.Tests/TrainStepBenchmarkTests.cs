using Mender.Numerics.Kernels;

namespace Mender.Benchmark.Tests;

public sealed class TrainStepBenchmarkTests
{
    [Fact]
    public void MenderCpuStepsTrainTheModelAndReportEachStep()
    {
        var report = TrainStepBenchmark.Run(new TrainStepOptions
        {
            Model = TrainStepModel.MenderCpu, Batch = 8, Steps = 3, WarmupSeconds = 0, Backends = [GemmBackend.Managed],
        }, null, CancellationToken.None);
        var timing = Assert.Single(report.Timings);
        Assert.Equal(3, timing.StepMs.Count);
        Assert.True(double.IsFinite(report.FirstLoss) && double.IsFinite(report.LastLoss));
        Assert.Equal(0.1f, report.Dropout);
        Assert.True(report.Parameters > 100_000, $"{report.Parameters} parameters");
    }

    [Fact]
    public void SasRecStepsTimeBothSplitsOnTheFullCatalogue()
    {
        var report = TrainStepBenchmark.Run(new TrainStepOptions
        {
            Model = TrainStepModel.SasRec, Batch = 80, Steps = 2, WarmupSeconds = 0, Backends = [GemmBackend.Managed],
            Splits = [StepSplit.Samples, StepSplit.Operations],
        }, null, CancellationToken.None);

        Assert.Equal(["samples", "operations"], report.Timings.Select(t => t.Split));
        Assert.All(report.Timings, t => Assert.Equal(2, t.StepMs.Count));
        // A fresh model's scores are nearly even over the 12,101 items, so its first loss is close to ln 12,101.
        Assert.InRange(report.FirstLoss, Math.Log(12_101) - 0.5, Math.Log(12_101) + 0.5);
        Assert.Equal(0.5f, report.Dropout);
        Assert.True(report.Parameters > 12_101 * 64, $"{report.Parameters} parameters");
    }
}
