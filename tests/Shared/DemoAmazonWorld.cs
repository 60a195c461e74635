using System.Text.Json;
using Mender.Data;
using Mender.Data.Demo;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Matching;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.TestWorlds;

/// <summary>
/// A demo world written as Amazon review files (reviews with ratings and text, metadata with categories and
/// descriptions) under a root folder, with its preferences from the built-in extractor and its semantic IDs: the
/// starting point of the test fixtures that train a checkpoint and serve it. Linked into each test project that needs it.
/// </summary>
internal sealed class DemoAmazonWorld
{
    public DemoAmazonWorld(string root, DemoWorldOptions world, SidBuildOptions? sidOptions = null)
    {
        DatasetPath = Path.Combine(root, "data", "Demo_5.json");
        WriteAmazon(DemoWorld.Generate(world).Dataset, DatasetPath);
        Dataset = DatasetLoader.Load(DatasetPath);
        Preferences = Path.Combine(root, "preferences");
        using (var store = PreferenceStore.Open(Preferences))
            new ExtractionJob(Dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load()).RunAsync(store).GetAwaiter().GetResult();
        SidsPath = Path.Combine(root, "sids");
        Sids = SidBuilder.LoadOrBuildAsync(Dataset, SidsPath, sidOptions).GetAwaiter().GetResult();
        Inputs = MatchedPreferenceInputs.LoadAsync(Dataset, Preferences, new TextEmbedders(Dataset).Get(Spec)).GetAwaiter().GetResult().Inputs;
    }

    public string DatasetPath { get; }
    public Dataset Dataset { get; }
    public string Preferences { get; }
    public string SidsPath { get; }
    public SidTable Sids { get; }
    public PreferenceInputs Inputs { get; }
    public string Spec { get; } = TextEmbedders.LexicalSpec();

    /// <summary>Trains a checkpoint into <paramref name="directory"/>; mender mode reads the matched preferences.</summary>
    public string Train(MenderConfig config, string directory)
    {
        var mender = config.Model.Mode == MenderMode.Mender;
        new MenderTrainer(LeaveOneOutSplit.Create(Dataset, config.Model.MaxHistory), Sids, config, mender ? Inputs : null)
            .Train(directory, new MenderCheckpointInfo
            {
                Dataset = DatasetPath,
                Sids = SidsPath,
                Preferences = mender ? Preferences : null,
                Embedder = mender ? Spec : null,
            });
        return directory;
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
}
