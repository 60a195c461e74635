using Mender.Benchmark.Axes;
using Mender.Benchmark.Runs;
using Mender.Data;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;

namespace Mender.Benchmark.Pipeline;

/// <summary>An item of an example list, by the dataset's id and title.</summary>
public sealed record ExampleItem(string Id, string Title);

/// <summary>The top items a recommender gives for one history and preference.</summary>
public sealed record ExampleList(string Recommender, string? Preference, IReadOnlyList<ExampleItem> Items);

/// <summary>
/// One user's history asked with two opposite preferences: the first sample of the sentiment axis (the first test user,
/// in dataset order, whose matched preference concerns the next item), "likes X" and "avoids X". Mender mode should
/// give two different lists, the item the user went on to buy in the first and not in the second; tiger mode reads no
/// preference and gives one list for both.
/// </summary>
public sealed record SteeringExample(string User, IReadOnlyList<string> RecentHistory, ExampleItem Target, ExampleList Positive, ExampleList Negative,
    ExampleList Tiger)
{
    /// <summary>Items of the positive list that the negative one does not hold.</summary>
    public int Different => Positive.Items.Count(i => !Negative.Items.Contains(i));

    /// <summary>True when the positive preference put the target in its list, as it should.</summary>
    public bool TargetWithPositive => Positive.Items.Contains(Target);

    /// <summary>True when the negative preference left the target in its list, which it should not.</summary>
    public bool TargetWithNegative => Negative.Items.Contains(Target);

    /// <summary>Builds the example from the first sentiment sample; null when the benchmark has none.</summary>
    /// <param name="dataset">The dataset the benchmark and the runs were built from.</param>
    /// <param name="set">The benchmark, whose first sentiment sample is the example.</param>
    /// <param name="tigerRun">The tiger-mode checkpoint directory.</param>
    /// <param name="menderRun">The mender-mode checkpoint directory.</param>
    /// <param name="embedders">The dataset's text embedders, which the checkpoints open with.</param>
    /// <param name="k">Items per list.</param>
    /// <param name="cancellation">Stops the search.</param>
    public static async Task<SteeringExample?> FindAsync(Dataset dataset, BenchmarkSet set, string tigerRun, string menderRun, TextEmbedders embedders,
        int k, CancellationToken cancellation)
    {
        var samples = set[BenchmarkAxis.Sentiment];
        if (samples.Count == 0) return null;
        var sample = samples[0];
        var mender = TrainedMender.Open(menderRun, embedders);
        var model = new MenderModeRecommender(mender.Recommender(), mender.Embedder, mender.Model.Config.PreferenceDim, menderRun);
        var tiger = TrainedMender.Open(tigerRun, embedders);
        var tigerModel = new MenderModeRecommender(tiger.Recommender(), null, 0, tigerRun);

        var lists = await model.RecommendAsync([new(sample.History, [sample.Positive!]), new(sample.History, [sample.Negative!])], k, cancellation)
            .ConfigureAwait(false);
        var plain = await tigerModel.RecommendAsync([new(sample.History, [])], k, cancellation).ConfigureAwait(false);
        ExampleItem Item(int id) => new(dataset.Items[id].ExternalId, dataset.Items[id].Title);
        return new SteeringExample(
            dataset.Users[sample.UserId].ExternalId,
            sample.History.TakeLast(3).Select(id => dataset.Items[id].Title).ToList(),
            Item(sample.Target),
            new ExampleList(model.Name, sample.Positive, lists[0].Select(Item).ToList()),
            new ExampleList(model.Name, sample.Negative, lists[1].Select(Item).ToList()),
            new ExampleList(tigerModel.Name, null, plain[0].Select(Item).ToList()));
    }
}
