using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mender.Data;
using Mender.Data.Text;
using Mender.Numerics.Checkpoints;
using Mender.Recommender.Embeddings;

namespace Mender.Recommender.SemanticIds;

/// <summary>
/// Builds a catalogue's semantic IDs into an output directory: item texts → embeddings (cached) → residual quantization
/// (RK-means or RQ-VAE) → collision codes. The directory is resume-safe: <c>build.json</c> records the settings and a
/// digest of the catalogue, and a rerun with the same settings reuses the cached embeddings, or everything when the
/// build had finished; each artefact is written under a temporary name and renamed, <c>quality.json</c> last.
/// </summary>
public static class SidBuilder
{
    /// <summary>The build's settings and inputs, written first.</summary>
    public const string ManifestFile = "build.json";
    /// <summary>Each item's external id and SID, one line each.</summary>
    public const string SidsFile = "sids.tsv";
    /// <summary>The quality report of the build, written last, so its presence marks a finished build.</summary>
    public const string QualityFile = "quality.json";
    /// <summary>The quantizer's codebooks.</summary>
    public const string CodebooksFile = "codebooks.safetensors";

    /// <summary>The RQ-VAE's encoder, decoder and codebooks (RQ-VAE builds only).</summary>
    public const string RqVaeModelFile = "rqvae.safetensors";

    /// <summary>Embeds the dataset's items, quantizes them and writes the SIDs, codebooks and quality report to the output directory.</summary>
    public static async Task<SidBuildResult> BuildAsync(Dataset dataset, string outputDirectory, SidBuildOptions? options = null,
        IProgress<SidBuildProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new SidBuildOptions();
        if (dataset.Items.Count == 0) throw new ArgumentException($"dataset '{dataset.Name}' has no items to give semantic IDs");
        if (options.Levels < 1 || options.CodebookSize < 2) throw new ArgumentException("a SID build needs at least 1 level of at least 2 codes");
        var clock = Stopwatch.StartNew();
        options.Cooccurrence.Validate();
        var embedder = options.Embedder ?? CatalogueEmbedder.Lexical(new LexicalEmbedderOptions { Seed = options.Seed });
        var texts = dataset.Items.Select(ItemText.Render).ToArray();
        var ids = dataset.Items.Select(i => i.ExternalId).ToArray();

        Directory.CreateDirectory(outputDirectory);
        ClaimDirectory(outputDirectory, Settings(dataset, ids, texts, embedder, options));
        if (IsFinished(outputDirectory))
        {
            var (table, quality) = Load(outputDirectory);
            return new SidBuildResult(outputDirectory, table, quality, Reused: true);
        }

        var cacheRoot = options.EmbeddingCacheDirectory ?? Path.Combine(outputDirectory, "embeddings");
        var embedProgress = progress is null ? null
            : new ProgressRelay<(int Done, int Total)>(p => progress.Report(new("embed", (double)p.Done / p.Total, $"{p.Done}/{p.Total} items")));
        var (matrix, dimensions) = await embedder.EmbedAsync(texts, cacheRoot, options.EmbeddingBatchSize, embedProgress, cancellation)
            .ConfigureAwait(false);
        if (options.Cooccurrence.Enabled)
        {
            progress?.Report(new("embed", 1, "co-occurrence"));
            var histories = LeaveOneOutSplit.Create(dataset).Train;
            var cooccurrence = await Task.Run(() => CooccurrenceEmbedding.Compute(histories, texts.Length, options.Cooccurrence, options.Seed, cancellation), cancellation)
                .ConfigureAwait(false);
            matrix = CooccurrenceEmbedding.Blend(matrix, dimensions, cooccurrence, options.Cooccurrence.Dimensions, texts.Length, options.Cooccurrence.Weight);
            dimensions += options.Cooccurrence.Dimensions;
        }
        progress?.Report(new("embed", 1));
        var embedSeconds = clock.Elapsed.TotalSeconds;

        var quantizeProgress = progress is null ? null : new ProgressRelay<double>(f => progress.Report(new("quantize", f)));
        var (quantization, model) = await Task.Run(() => Quantize(matrix, texts.Length, dimensions, options, quantizeProgress, cancellation), cancellation)
            .ConfigureAwait(false);
        progress?.Report(new("quantize", 1));
        var quantizeSeconds = clock.Elapsed.TotalSeconds - embedSeconds;

        var sidTable = SidTable.FromLearnedCodes(ids, quantization.Codes, quantization.CodebookSizes);
        var report = SidQuality.Measure(quantization) with
        {
            Embedder = EmbedderName(embedder, options),
            EmbeddingDimensions = dimensions,
            Seed = options.Seed,
            LastLevel = LastLevelName(options),
            EmbeddingSeconds = embedSeconds,
            QuantizationSeconds = quantizeSeconds,
            WallTimeSeconds = clock.Elapsed.TotalSeconds,
            ProducedBy = ProducedBy(),
        };
        if (model is not null)
            Checkpoint.SaveParameters(Path.Combine(outputDirectory, RqVaeModelFile), model, new Dictionary<string, string>
            {
                ["embedder"] = EmbedderName(embedder, options),
                ["rqvae"] = options.RqVae.ToString(),
            });
        CodebookFile.Save(Path.Combine(outputDirectory, CodebooksFile), quantization);
        sidTable.Save(Path.Combine(outputDirectory, SidsFile));
        report.Save(Path.Combine(outputDirectory, QualityFile));
        progress?.Report(new("write", 1));
        return new SidBuildResult(outputDirectory, sidTable, report, Reused: false);
    }

    /// <summary>Reads a finished build's SID table and quality report.</summary>
    public static (SidTable Table, SidQuality Quality) Load(string outputDirectory)
    {
        if (!IsFinished(outputDirectory))
            throw new FileNotFoundException($"'{outputDirectory}' holds no finished SID build (no {QualityFile})",
                Path.Combine(outputDirectory, QualityFile));
        return (SidTable.Load(Path.Combine(outputDirectory, SidsFile)), SidQuality.Load(Path.Combine(outputDirectory, QualityFile)));
    }

    /// <summary>A finished build's SID table, checked to cover exactly <paramref name="dataset"/>'s catalogue.</summary>
    public static SidTable LoadFor(string outputDirectory, Dataset dataset)
    {
        var table = Load(outputDirectory).Table;
        if (table.Count != dataset.Items.Count)
            throw new InvalidDataException($"the SIDs in '{outputDirectory}' cover {table.Count} items but dataset '{dataset.Name}' has {dataset.Items.Count}");
        return table;
    }

    /// <summary>
    /// Reuses a finished build in <paramref name="outputDirectory"/> or builds one there; a build made with other
    /// settings is refused, as <see cref="BuildAsync"/> refuses it.
    /// </summary>
    public static async Task<SidTable> LoadOrBuildAsync(Dataset dataset, string outputDirectory, SidBuildOptions? options = null,
        IProgress<SidBuildProgress>? progress = null, CancellationToken cancellation = default)
    {
        await BuildAsync(dataset, outputDirectory, options, progress, cancellation).ConfigureAwait(false);
        return LoadFor(outputDirectory, dataset);
    }

    /// <summary>True when the directory holds a complete build, so it need not be built again.</summary>
    public static bool IsFinished(string outputDirectory) =>
        File.Exists(Path.Combine(outputDirectory, QualityFile)) && File.Exists(Path.Combine(outputDirectory, SidsFile))
        && File.Exists(Path.Combine(outputDirectory, CodebooksFile));

    /// <summary>The codes, and for RQ-VAE the trained network (saved so that new items can be coded later).</summary>
    private static (ResidualQuantization Quantization, RqVae? Model) Quantize(float[] matrix, int n, int d, SidBuildOptions options,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        if (options.Method == SidMethod.RkMeans)
            return (ResidualKMeans.Fit(matrix, n, d, new ResidualKMeansOptions
            {
                Levels = options.Levels,
                CodebookSize = options.CodebookSize,
                MaxIterations = options.KMeansIterations,
                Seed = options.Seed,
                DistinctLastLevel = options.DistinctLastLevel,
            }, progress, cancellation), null);
        var fit = RqVaeTrainer.Fit(matrix, n, d, options.Levels, options.CodebookSize,
            options.RqVae with { DistinctLastLevel = options.DistinctLastLevel }, options.Seed, progress, cancellation);
        return (fit.Quantization, fit.Model);
    }

    /// <summary>What decides the result; a directory built with other settings is not silently overwritten.</summary>
    private static JsonObject Settings(Dataset dataset, string[] ids, string[] texts, CatalogueEmbedder embedder, SidBuildOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < ids.Length; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(ids[i]));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(texts[i]));
            hash.AppendData([0]);
        }
        var settings = new JsonObject
        {
            ["dataset"] = dataset.Name,
            ["items"] = ids.Length,
            ["catalogue_sha256"] = Convert.ToHexStringLower(hash.GetHashAndReset()),
            ["method"] = SidBuildOptions.MethodName(options.Method),
            ["embedder"] = embedder.Name,
            ["embedder_key"] = embedder.CacheKey(texts),
            ["seed"] = options.Seed,
            ["levels"] = options.Levels,
            ["codebook_size"] = options.CodebookSize,
            ["last_level"] = LastLevelName(options),
        };
        if (options.Cooccurrence.Enabled)
        {
            settings["cooccurrence"] = options.Cooccurrence.ToString();
            settings["histories_sha256"] = HistoriesDigest(dataset);
        }
        if (options.Method == SidMethod.RkMeans) settings["kmeans_iterations"] = options.KMeansIterations;
        else settings["rqvae"] = options.RqVae.ToString();
        return settings;
    }

    private static void ClaimDirectory(string outputDirectory, JsonObject settings)
    {
        var path = Path.Combine(outputDirectory, ManifestFile);
        if (File.Exists(path))
        {
            JsonNode? existing;
            try
            {
                existing = JsonNode.Parse(File.ReadAllText(path))?["settings"];
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
            }
            if (existing is null) throw new InvalidDataException($"{path}: has no 'settings' object");
            if (JsonNode.DeepEquals(existing, settings)) return;
            var keys = settings.Select(kv => kv.Key).Union(existing is JsonObject old ? old.Select(kv => kv.Key) : []);
            var different = keys.Where(k => !JsonNode.DeepEquals(existing[k], settings[k]));
            throw new ArgumentException(
                $"'{outputDirectory}' holds a SID build with other settings (different {string.Join(", ", different)}); " +
                "choose another --out or delete that directory");
        }
        var manifest = new JsonObject
        {
            ["settings"] = settings,
            ["produced_by"] = ProducedBy(),
            ["started_at"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        AtomicFile.WriteAllText(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static string EmbedderName(CatalogueEmbedder embedder, SidBuildOptions options) =>
        options.Cooccurrence.Enabled ? $"{embedder.Name}+{options.Cooccurrence}" : embedder.Name;

    /// <summary>The interactions the co-occurrence embedding reads: a changed history means a different build.</summary>
    private static string HistoriesDigest(Dataset dataset)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var user in dataset.Users)
        {
            foreach (var interaction in user.Interactions)
            {
                BitConverter.TryWriteBytes(bytes, interaction.ItemId);
                hash.AppendData(bytes);
            }
            BitConverter.TryWriteBytes(bytes, -1);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string LastLevelName(SidBuildOptions options) => options.DistinctLastLevel ? "distinct" : "nearest";

    private static string ProducedBy() =>
        $"Mender.NET {typeof(SidBuilder).Assembly.GetName().Version} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription})";
}
