using Mender.Benchmark.Runs;
using Mender.Data.Text;
using Mender.Numerics.Tensors;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Benchmark.Tests;

/// <summary>
/// The adapter from the benchmark to a Mender model, on a small untrained model: preference texts must reach the
/// model as the normalised sum of their polar vectors (zeros without one), and tiger mode must ignore them.
/// </summary>
public class MenderModeTests(DemoBench bench) : IClassFixture<DemoBench>
{
    private const int Columns = 20;

    private MenderRecommender Model(MenderMode mode)
    {
        var items = bench.World.Dataset.Items.Count;
        var codes = new int[items * 2];
        for (var i = 0; i < items; i++) (codes[2 * i], codes[2 * i + 1]) = (i / Columns, i % Columns);
        int[] sizes = [(items + Columns - 1) / Columns, Columns];
        var sids = new SidTable(bench.World.Dataset.Items.Select(i => i.ExternalId).ToArray(), codes, 2, sizes);
        var config = new MenderModelConfig
        {
            Mode = mode, ModelDim = 16, Heads = 2, HeadDim = 8, FeedForwardDim = 32, Dropout = 0, EncoderLayers = 1, DecoderLayers = 1,
            PreferenceDim = mode == MenderMode.Mender ? bench.Embedder.Dimensions : 0, CodebookSizes = sizes, Seed = 3,
        };
        return new MenderRecommender(new MenderModel(config), sids, beam: 12);
    }

    private static readonly BenchmarkQuery[] Queries =
    [
        new([1, 2, 3], ["likes glitter", "avoids rose scents"]),
        new([4, 5], []),
        new([6], ["prefers fragrance-free products"]),
    ];

    [Fact]
    public async Task MenderModeReadsThePolarSumOfThePreferences()
    {
        var model = Model(MenderMode.Mender);
        var adapter = new MenderModeRecommender(model, bench.Embedder, bench.Embedder.Dimensions, "test", batchSize: 2);
        var lists = await adapter.RecommendAsync(Queries, 10);

        var width = bench.Embedder.Dimensions;
        var preferences = new Tensor(Queries.Length, width);
        var both = new float[width];
        TensorPrimitives.Subtract(bench.Embedder.Embed("likes glitter"), bench.Embedder.Embed("rose scents"), both);
        TensorPrimitives.Divide(both, TensorPrimitives.Norm(both), both);
        both.CopyTo(preferences.Span[..width]);
        bench.Embedder.Embed("prefers fragrance-free products").CopyTo(preferences.Span.Slice(2 * width, width));
        var expected = model.Search(Queries.Select(q => q.History).ToList(), preferences, 10);
        for (var i = 0; i < Queries.Length; i++)
        {
            Assert.Equal(expected[i].Select(r => r.Item), lists[i]);
            Assert.Equal(10, lists[i].Distinct().Count());
        }
    }

    [Fact]
    public async Task ACheckpointOpensWithItsRecordedSidsAndEmbedder()
    {
        using var folder = new TempFolder();
        var dataset = bench.World.Dataset;
        var sids = (await SidBuilder.BuildAsync(dataset, folder.Sub("sids"), new SidBuildOptions { Levels = 2, CodebookSize = 16, KMeansIterations = 10 })).Table;
        var embedder = LexicalEmbeddingGenerator.Fit(dataset.Items.Select(ItemText.Render).ToArray(), new LexicalEmbedderOptions { Seed = 5 });
        var config = new MenderModelConfig
        {
            Mode = MenderMode.Mender, ModelDim = 16, Heads = 2, HeadDim = 8, FeedForwardDim = 32, Dropout = 0, EncoderLayers = 1, DecoderLayers = 1,
            PreferenceDim = embedder.Dimensions, CodebookSizes = sids.CodebookSizes.ToArray(), Seed = 11,
        };
        var model = new MenderModel(config);
        MenderCheckpoint.Save(folder.Sub("run"), model, new MenderCheckpointInfo { Sids = folder.Sub("sids"), Embedder = "lexical seed=5" });

        var opened = new CheckpointRecommenders(dataset).Open(folder.Sub("run"), beam: 12);
        var direct = new MenderModeRecommender(new MenderRecommender(model, sids, 12), embedder, embedder.Dimensions, "direct");
        Assert.Equal("mender", opened.Name);
        Assert.Equal(await direct.RecommendAsync(Queries, 10), await opened.RecommendAsync(Queries, 10));
    }

    [Fact]
    public async Task TigerModeIgnoresPreferences()
    {
        var adapter = new MenderModeRecommender(Model(MenderMode.Tiger), null, 0, "test");
        var with = await adapter.RecommendAsync(Queries, 10);
        var without = await adapter.RecommendAsync(Queries.Select(q => q with { Preferences = [] }).ToList(), 10);
        Assert.Equal("tiger", adapter.Name);
        for (var i = 0; i < Queries.Length; i++) Assert.Equal(without[i], with[i]);
    }
}
