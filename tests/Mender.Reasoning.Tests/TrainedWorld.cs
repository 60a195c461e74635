using System.Text.Json;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Matching;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.Recommender.Data;
using Mender.Recommender.Demo;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.Reasoning.Tests;

/// <summary>
/// A small demo world written as Amazon review files (reviews with ratings and text, metadata with categories and
/// descriptions), its preferences from the built-in extractor, semantic IDs, and mender- and tiger-mode checkpoints trained
/// for a few dozen steps: made once for the test classes of the collection.
/// </summary>
public sealed class TrainedWorld : IDisposable
{
    public const string Collection = "trained world";

    public TrainedWorld()
    {
        var world = DemoWorld.Generate(new DemoWorldOptions { Items = 200, Users = 150 });
        var datasetPath = Path.Combine(Root, "data", "Demo_5.json");
        WriteAmazon(world.Dataset, datasetPath);
        Dataset = DatasetLoader.Load(datasetPath);
        var preferences = Path.Combine(Root, "preferences");
        using (var store = PreferenceStore.Open(preferences))
            new ExtractionJob(Dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load()).RunAsync(store).GetAwaiter().GetResult();
        var sidsPath = Path.Combine(Root, "sids");
        var sids = SidBuilder.LoadOrBuildAsync(Dataset, sidsPath).GetAwaiter().GetResult();
        var embedders = new TextEmbedders(Dataset);
        var spec = TextEmbedders.LexicalSpec();
        var (inputs, _) = MatchedPreferenceInputs.LoadAsync(Dataset, preferences, embedders.Get(spec)).GetAwaiter().GetResult();
        var config = MenderConfig.Preset("cpu");
        config = config with
        {
            Model = config.Model with { Mode = MenderMode.Mender },
            Training = config.Training with { MaxSteps = 30, EvalEvery = 30, WarmupSteps = 5, ValidationUsers = 50, BatchSize = 64 },
        };
        var trainer = new MenderTrainer(LeaveOneOutSplit.Create(Dataset, config.Model.MaxHistory), sids, config, inputs);
        Checkpoint = Path.Combine(Root, "run");
        trainer.Train(Checkpoint, new MenderCheckpointInfo { Dataset = datasetPath, Sids = sidsPath, Preferences = preferences, Embedder = spec });
        var tiger = config with { Model = config.Model with { Mode = MenderMode.Tiger } };
        TigerCheckpoint = Path.Combine(Root, "tiger");
        new MenderTrainer(LeaveOneOutSplit.Create(Dataset, tiger.Model.MaxHistory), sids, tiger)
            .Train(TigerCheckpoint, new MenderCheckpointInfo { Dataset = datasetPath, Sids = sidsPath });
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mender-reasoning-" + Guid.NewGuid().ToString("N")[..12]);
    public string Checkpoint { get; }

    /// <summary>A tiger-mode checkpoint (history only) of the same world.</summary>
    public string TigerCheckpoint { get; }
    public Dataset Dataset { get; }

    public RecommendationService Open(string? model = null) =>
        RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = Checkpoint, ModelPath = model, Threads = 1 });

    /// <summary>A copy of the checkpoint, for tests that add cold-start items beside it.</summary>
    public string CopyCheckpoint()
    {
        var copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private static void WriteAmazon(Dataset data, string reviewsPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(reviewsPath)!);
        using (var reviews = new StreamWriter(reviewsPath))
            foreach (var user in data.Users)
                foreach (var i in user.Interactions)
                    reviews.WriteLine(JsonSerializer.Serialize(new
                    {
                        reviewerID = user.ExternalId,
                        asin = data.Items[i.ItemId].ExternalId,
                        overall = i.Rating ?? 5,
                        summary = i.Summary ?? "",
                        reviewText = i.ReviewText ?? "",
                        unixReviewTime = 1_500_000_000L + i.Timestamp,
                    }));
        using var meta = new StreamWriter(Path.Combine(Path.GetDirectoryName(reviewsPath)!, "meta_Demo.json"));
        foreach (var item in data.Items)
            meta.WriteLine(JsonSerializer.Serialize(new
            {
                asin = item.ExternalId,
                title = item.Title,
                brand = item.Brand,
                category = item.Categories.Concat(item.Attributes).ToArray(),
                description = new[] { item.Description ?? "" },
            }));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished test is left for the OS to clean up.
        }
    }
}

[CollectionDefinition(TrainedWorld.Collection)]
public sealed class TrainedWorldCollection : ICollectionFixture<TrainedWorld>;
