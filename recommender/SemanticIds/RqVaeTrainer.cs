using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;

namespace Mender.Recommender.SemanticIds;

/// <summary>A trained RQ-VAE, the codes it gives the catalogue, and the mean training loss of each epoch.</summary>
internal sealed record RqVaeFit(ResidualQuantization Quantization, RqVae Model, IReadOnlyList<double> EpochLosses);

/// <summary>
/// Trains an <see cref="RqVae"/> on a catalogue's embeddings with AdamW (no weight decay on the codebooks, which decay
/// would drag toward the origin), then codes every item. The codebooks start as k-means centroids of the first batch's
/// latents, level by level on the residuals; after every epoch each code that no item used is moved onto a residual
/// of the last batch, so that codes do not die. Batches are reshuffled each epoch from the seeded generator, and the
/// training engine is deterministic, so the seed fixes the result.
/// </summary>
internal static class RqVaeTrainer
{
    public static RqVaeFit Fit(float[] embeddings, int n, int d, int levels, int codebookSize, RqVaeOptions options, int seed,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        if (n < 1 || embeddings.Length != (long)n * d) throw new ArgumentException("embeddings must be a non-empty n × d matrix");
        if (options.Epochs < 1 || options.BatchSize < 1) throw new ArgumentException("RQ-VAE needs at least one epoch and a positive batch size");
        var rng = new Rng(unchecked((ulong)seed));
        var model = new RqVae(d, levels, codebookSize, options, rng);
        var optimizer = new AdamW(model.Parameters(), (float)options.LearningRate, weightDecay: (float)options.WeightDecay,
            decays: p => p.Rank >= 2 && !model.Codebooks.Contains(p));

        var order = Enumerable.Range(0, n).ToArray();
        var batchSize = Math.Min(options.BatchSize, n);
        var batch = new float[batchSize * d];
        var usage = new int[levels * codebookSize];
        var losses = new List<double>(options.Epochs);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            Array.Clear(usage);
            float[][]? lastResiduals = null;
            var lossSum = 0.0;
            var steps = 0;
            for (var start = 0; start < n; start += batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, n - start);
                for (var i = 0; i < count; i++) embeddings.AsSpan(order[start + i] * d, d).CopyTo(batch.AsSpan(i * d, d));
                if (epoch == 0 && start == 0) InitializeCodebooks(model, batch.AsSpan(0, count * d), count, seed, cancellation);
                var last = start + batchSize >= n;
                using var tape = Tape.Record();
                var output = model.Forward(tape.Input(batch.AsSpan(0, count * d), count, d), keepResiduals: last);
                tape.Backward(output.Loss);
                optimizer.Step();
                optimizer.ZeroGrad();
                lossSum += output.Reconstruction + output.Quantization;
                steps++;
                for (var l = 0; l < levels; l++)
                    foreach (var code in output.Codes[l]) usage[l * codebookSize + code]++;
                if (last) lastResiduals = output.Residuals;
            }
            losses.Add(lossSum / steps);
            if (options.ReseedDeadCodes) ReseedDeadCodes(model, usage, lastResiduals!, rng);
            progress?.Report((epoch + 1.0) / (options.Epochs + 1));
        }

        var quantization = Encode(model, embeddings, n, d, options, cancellation);
        progress?.Report(1);
        return new RqVaeFit(quantization, model, losses);
    }

    /// <summary>k-means on the latents of the first batch gives level 0's codebook, k-means on what it leaves gives level 1's, ...</summary>
    private static void InitializeCodebooks(RqVae model, ReadOnlySpan<float> batch, int count, int seed, CancellationToken cancellation)
    {
        float[] residual;
        using (var tape = Tape.NoGrad())
            residual = model.Encode(tape.Input(batch, count, model.InputDimensions)).ToArray();
        var width = model.LatentDimensions;
        for (var l = 0; l < model.Levels; l++)
        {
            var fit = KMeans.Fit(residual, count, width, model.CodebookSize, new KMeansOptions { Seed = unchecked(seed * 31 + l) }, cancellation);
            fit.Centroids.CopyTo(model.Codebooks[l].Span);
            for (var i = 0; i < count; i++)
                TensorPrimitives.Subtract(residual.AsSpan(i * width, width), fit.Centroids.AsSpan(fit.Assignment[i] * width, width),
                    residual.AsSpan(i * width, width));
        }
    }

    internal static void ReseedDeadCodes(RqVae model, int[] usage, float[][] residuals, Rng rng)
    {
        var width = model.LatentDimensions;
        var size = model.CodebookSize;
        for (var l = 0; l < model.Levels; l++)
        {
            var rows = residuals[l].Length / width;
            var codebook = model.Codebooks[l].Span;
            for (var k = 0; k < size; k++)
                if (usage[l * size + k] == 0)
                    residuals[l].AsSpan(rng.NextInt(rows) * width, width).CopyTo(codebook.Slice(k * width, width));
        }
    }

    /// <summary>Codes every item with the trained model and measures the reconstruction.</summary>
    private static ResidualQuantization Encode(RqVae model, float[] embeddings, int n, int d, RqVaeOptions options,
        CancellationToken cancellation)
    {
        var width = model.LatentDimensions;
        var levels = model.Levels;
        var latent = Map(embeddings, n, d, width, model.Encode);
        var residual = (float[])latent.Clone();
        var codes = new int[n * levels];
        var codebooks = model.Codebooks.Select(c => c.ToArray()).ToArray();
        var residualError = new double[levels];
        var assignment = new int[n];
        var distance = new float[n];
        for (var l = 0; l < levels; l++)
        {
            NearestCentroid.Assign(residual, n, width, codebooks[l], model.CodebookSize, assignment, distance, cancellation);
            for (var i = 0; i < n; i++) codes[i * levels + l] = assignment[i];
            if (l == levels - 1 && options.DistinctLastLevel)
                DistinctLastLevel.Assign(codes, n, levels, residual, width, codebooks[l], cancellation);
            for (var i = 0; i < n; i++)
                TensorPrimitives.Subtract(residual.AsSpan(i * width, width), codebooks[l].AsSpan(codes[i * levels + l] * width, width),
                    residual.AsSpan(i * width, width));
            residualError[l] = ResidualKMeans.MeanSquaredNorm(residual, n, width);
        }

        var quantized = new float[n * width];
        TensorPrimitives.Subtract(latent, residual, quantized);
        var reconstruction = Map(quantized, n, width, d, model.Decode);
        TensorPrimitives.Subtract(reconstruction, embeddings, reconstruction);
        var error = ResidualKMeans.MeanSquaredNorm(reconstruction, n, d);
        var scale = ResidualKMeans.MeanSquaredNorm(embeddings, n, d);
        return new ResidualQuantization("rqvae", n, codes, codebooks, width, error, scale > 0 ? error / scale : 0, residualError);
    }

    /// <summary>Applies a network to all rows in batches, without recording gradients.</summary>
    private static float[] Map(float[] input, int n, int inWidth, int outWidth, Func<Tensor, Tensor> network)
    {
        const int chunk = 2048;
        var output = new float[n * outWidth];
        for (var start = 0; start < n; start += chunk)
        {
            var count = Math.Min(chunk, n - start);
            using var tape = Tape.NoGrad();
            network(tape.Input(input.AsSpan(start * inWidth, count * inWidth), count, inWidth)).Span.CopyTo(output.AsSpan(start * outWidth));
        }
        return output;
    }
}
