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
}
