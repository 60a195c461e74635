using System.Text.Json;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Matching;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.Reasoning;
using Mender.Recommender.Data;
using Mender.Recommender.Demo;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.Server.Tests;

/// <summary>
/// A tiny mender-mode checkpoint made once per test run with the library API: a small demo world written as Amazon
/// review files, its preferences from the built-in extractor, 2-level semantic IDs, and a small model trained for a
/// few steps. The service over it is opened once and shared by every server the tests host.
/// </summary>
public sealed class TrainedCheckpoint : IDisposable
{
    public TrainedCheckpoint()
    {
        var world = DemoWorld.Generate(new DemoWorldOptions { Items = 160, Users = 90 });
        var datasetPath = Path.Combine(Root, "data", "Demo_5.json");
        WriteAmazon(world.Dataset, datasetPath);
        Dataset = DatasetLoader.Load(datasetPath);
        var preferences = Path.Combine(Root, "preferences");
        using (var store = PreferenceStore.Open(preferences))
            new ExtractionJob(Dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load()).RunAsync(store).GetAwaiter().GetResult();
        var sidsPath = Path.Combine(Root, "sids");
        var sids = SidBuilder.BuildAsync(Dataset, sidsPath, new SidBuildOptions { Levels = 2, CodebookSize = 16, KMeansIterations = 10 })
            .GetAwaiter().GetResult().Table;
        var spec = TextEmbedders.LexicalSpec();
        var (inputs, _) = MatchedPreferenceInputs.LoadAsync(Dataset, preferences, new TextEmbedders(Dataset).Get(spec)).GetAwaiter().GetResult();
        var config = new MenderConfig
        {
            Model = new MenderModelConfig
            {
                Mode = MenderMode.Mender, ModelDim = 32, Heads = 2, HeadDim = 16, FeedForwardDim = 64, Dropout = 0,
                EncoderLayers = 1, DecoderLayers = 1, MaxHistory = 20,
            },
            Training = new MenderTrainingConfig { BatchSize = 32, MaxSteps = 8, WarmupSteps = 2, EvalEvery = 8, ValidationUsers = 30, Beam = 20 },
        };
        var trainer = new MenderTrainer(LeaveOneOutSplit.Create(Dataset, config.Model.MaxHistory), sids, config, inputs);
        Checkpoint = Path.Combine(Root, "run");
        trainer.Train(Checkpoint, new MenderCheckpointInfo { Dataset = datasetPath, Sids = sidsPath, Preferences = preferences, Embedder = spec });
        Service = Open();
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mender-server-" + Guid.NewGuid().ToString("N")[..12]);
    public string Checkpoint { get; }
    public Dataset Dataset { get; }

    /// <summary>The service every test server shares (servers given a service do not dispose it).</summary>
    public RecommendationService Service { get; }

    public RecommendationService Open() => RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = Checkpoint, Threads = 1 });

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
        Service.Dispose();
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

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<TrainedCheckpoint>
{
    public const string Name = "trained checkpoint";
}
