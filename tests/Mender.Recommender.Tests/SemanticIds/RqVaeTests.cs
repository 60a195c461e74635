using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public class RqVaeTests
{
    private static readonly RqVaeOptions Small = new() { HiddenSizes = [32, 16], LatentDimensions = 8, Epochs = 30, BatchSize = 64, LearningRate = 3e-3 };

    [Fact]
    public void SameSeedSameCodesAndLosses()
    {
        var (points, labels, _) = Blobs.Make(clusters: 4, perCluster: 40, d: 16, spread: 0.5, seed: 1);
        var a = RqVaeTrainer.Fit(points, labels.Length, 16, 3, 8, Small, seed: 5);
        var b = RqVaeTrainer.Fit(points, labels.Length, 16, 3, 8, Small, seed: 5);
        Assert.Equal(a.Quantization.Codes, b.Quantization.Codes);
        Assert.Equal(a.EpochLosses, b.EpochLosses);
        for (var l = 0; l < 3; l++) Assert.Equal(a.Quantization.Codebooks[l], b.Quantization.Codebooks[l]);
    }

    [Fact]
    public void TrainingLowersTheLossAndFindsTheClusters()
    {
        var (points, labels, _) = Blobs.Make(clusters: 4, perCluster: 50, d: 16, spread: 0.3, seed: 2);
        var fit = RqVaeTrainer.Fit(points, labels.Length, 16, 3, 4, Small with { Epochs = 60 }, seed: 3);
        Assert.True(fit.EpochLosses[^1] < fit.EpochLosses[0] / 2, $"loss {fit.EpochLosses[0]:F4} → {fit.EpochLosses[^1]:F4}");
        var first = Enumerable.Range(0, labels.Length).Select(i => fit.Quantization.CodesOf(i)[0]).ToArray();
        Assert.True(Blobs.SamePartition(labels, first));
        Assert.Equal("rqvae", fit.Quantization.Method);
        Assert.InRange(fit.Quantization.RelativeReconstructionError, 0, 0.5);
    }

    [Fact]
    public void ForwardLossMatchesItsDefinition()
    {
        // loss = MSE(x̂, x) + Σ (1 + β) · MSE(r, e): codebook and commitment terms have equal values.
        var rng = new Rng(4);
        var model = new RqVae(6, 2, 5, new RqVaeOptions { HiddenSizes = [10], LatentDimensions = 3, Beta = 0.25 }, rng);
        var x = Enumerable.Range(0, 4 * 6).Select(i => (float)Math.Sin(i)).ToArray();
        using var tape = Tape.NoGrad();
        var output = model.Forward(tape.Input(x, 4, 6), keepResiduals: true);
        var expected = 0.0;
        for (var l = 0; l < 2; l++)
        {
            var codebook = model.Codebooks[l].ToArray();
            var residual = output.Residuals![l];
            var sum = 0.0;
            for (var i = 0; i < 4; i++)
            {
                var code = output.Codes[l][i];
                var best = Enumerable.Range(0, 5).MinBy(k => Enumerable.Range(0, 3).Sum(j => Math.Pow(residual[i * 3 + j] - codebook[k * 3 + j], 2)));
                Assert.Equal(best, code);
                for (var j = 0; j < 3; j++) sum += Math.Pow(residual[i * 3 + j] - codebook[code * 3 + j], 2);
            }
            expected += 1.25 * sum / 12;
        }
        Assert.Equal(expected, output.Quantization, 1e-5);
        Assert.Equal(output.Reconstruction + output.Quantization, output.Loss.Item(), 1e-5);
    }

    [Fact]
    public void DeadCodesMoveOntoResiduals()
    {
        var model = new RqVae(4, 1, 3, new RqVaeOptions { HiddenSizes = [4], LatentDimensions = 2 }, new Rng(1));
        var before = model.Codebooks[0].ToArray();
        float[][] residuals = [[10, 11, 20, 21]];
        RqVaeTrainer.ReseedDeadCodes(model, [5, 0, 2], residuals, new Rng(2));
        var after = model.Codebooks[0].ToArray();
        Assert.Equal(before[..2], after[..2]);
        Assert.Equal(before[4..], after[4..]);
        Assert.Contains((after[2], after[3]), new[] { (10f, 11f), (20f, 21f) });
    }
}
