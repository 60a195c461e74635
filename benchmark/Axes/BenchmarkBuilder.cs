using System.Globalization;
using Mender.Data;
using Mender.Data.Text;
using Mender.Preference.Matching;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Microsoft.Extensions.AI;

namespace Mender.Benchmark.Axes;

/// <summary>
/// Builds the five axes from a dataset's leave-one-out test cases and its preference store. Every axis starts from the
/// same cases: the test targets whose previous step has preferences, each paired with its matched preference
/// (<see cref="PreferenceMatcher"/>: the step's preference closest to the target's item text, negatives in positive form).
/// Similarities between items, and between preferences and items, come from the same embedder as the matching.
/// </summary>
public static class BenchmarkBuilder
{
    /// <summary>Builds every axis's samples and the manifest that records how.</summary>
    /// <param name="dataset">The dataset whose leave-one-out test cases the samples come from.</param>
    /// <param name="table">The preferences extracted for the dataset's reviews.</param>
    /// <param name="embedder">Embeds preferences and item texts to match and pair them.</param>
    /// <param name="options">The build settings; null uses the defaults.</param>
    /// <param name="cancellation">Stops the build.</param>
    public static async Task<BenchmarkSet> BuildAsync(Dataset dataset, PreferenceTable table, IEmbeddingGenerator<string, Embedding<float>> embedder,
        BenchmarkBuildOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new BenchmarkBuildOptions();
        options.Validate();
        var split = LeaveOneOutSplit.Create(dataset, options.HistoryCap);
        var matches = await new PreferenceMatcher(embedder).MatchAsync(dataset, table, split.Test.Select(c => (c.UserId, c.TargetIndex)), cancellation)
            .ConfigureAwait(false);
        var cases = Select(split.Test.Where(c => matches.For(c.UserId, c.TargetIndex) is not null).ToList(), options);
        var matched = cases.Select(c => matches.For(c.UserId, c.TargetIndex)!).ToList();
        var items = await ItemVectors.EmbedAsync(dataset.Items.Select(ItemText.Render).ToList(), embedder, cancellation).ConfigureAwait(false);
        var random = new Random(options.Seed);

        var samples = new Dictionary<BenchmarkAxis, IReadOnlyList<BenchmarkSample>>
        {
            [BenchmarkAxis.Preference] = cases.Select((c, i) => Own(BenchmarkAxis.Preference, c, [matched[i].Matched.Text])).ToList(),
            [BenchmarkAxis.FineSteering] = Steering(BenchmarkAxis.FineSteering, cases, matched, items, random),
            [BenchmarkAxis.CoarseSteering] = Steering(BenchmarkAxis.CoarseSteering, cases, matched, items, random),
            [BenchmarkAxis.Sentiment] = Sentiment(cases, matched, options),
            // The step's preferences as stored, in their order: the recommender has to find the relevant one itself.
            [BenchmarkAxis.Consolidation] = cases.Select((c, i) => Own(BenchmarkAxis.Consolidation, c, matched[i].Preferences.Select(p => p.Text).ToArray())).ToList(),
        };
        var manifest = new BenchmarkManifest
        {
            Dataset = dataset.Name,
            Extractor = table.Extractor,
            ExtractorModel = table.Model,
            Embedder = matches.Embedder,
            Seed = options.Seed,
            HistoryCap = options.HistoryCap,
            MaxSamples = options.MaxSamples,
            CreatedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            TestTargets = split.Test.Count,
            MatchedTargets = matches.All.Count,
            Axes = samples.ToDictionary(p => p.Key.Name(), p => p.Value.Count),
        };
        return new BenchmarkSet(manifest, samples);
    }

    /// <summary>All cases, or a seeded random subset of them kept in user order.</summary>
    private static List<TrainingSample> Select(List<TrainingSample> cases, BenchmarkBuildOptions options)
    {
        if (options.MaxSamples == 0 || cases.Count <= options.MaxSamples) return cases;
        var shuffled = cases.ToArray();
        new Random(options.Seed).Shuffle(shuffled);
        return shuffled.Take(options.MaxSamples).OrderBy(c => c.UserId).ToList();
    }

    private static BenchmarkSample Own(BenchmarkAxis axis, TrainingSample c, IReadOnlyList<string> preferences) => new()
    {
        Axis = axis,
        UserId = c.UserId,
        Position = c.TargetIndex,
        HistoryUserId = c.UserId,
        History = c.History,
        Target = c.Target,
        Preferences = preferences,
    };

    /// <summary>
    /// Steering: each target is paired with the most (fine) or least (coarse) similar
    /// target of another user — a different item — and the two users' histories are swapped. The sample keeps this user's
    /// preference and target but reads the other user's history, whose own next item is the paired one: a recommender
    /// that follows the history lands on the paired item, one that follows the preference on the target. Pairing among
    /// the test targets (not the whole catalogue) guarantees that the paired item is where the swapped history leads.
    /// When several users share the paired target, one of them is drawn with the seeded generator.
    /// </summary>
    private static List<BenchmarkSample> Steering(BenchmarkAxis axis, List<TrainingSample> cases, List<PreferenceMatch> matched,
        ItemVectors items, Random random)
    {
        var fine = axis == BenchmarkAxis.FineSteering;
        var byTarget = new Dictionary<int, List<int>>();
        for (var i = 0; i < cases.Count; i++)
        {
            if (!byTarget.TryGetValue(cases[i].Target, out var holders)) byTarget[cases[i].Target] = holders = [];
            holders.Add(i);
        }
        var targets = byTarget.Keys.Order().ToArray();
        var partner = new Dictionary<int, (int Item, float Similarity)>();
        foreach (var a in targets)
        {
            var best = (Item: -1, Similarity: fine ? float.NegativeInfinity : float.PositiveInfinity);
            foreach (var b in targets)
            {
                if (b == a) continue;
                var similarity = items.Cosine(a, b);
                if (fine ? similarity > best.Similarity : similarity < best.Similarity) best = (b, similarity);
            }
            if (best.Item >= 0) partner[a] = best;
        }

        var samples = new List<BenchmarkSample>();
        for (var i = 0; i < cases.Count; i++)
        {
            if (!partner.TryGetValue(cases[i].Target, out var pair)) continue;
            var holders = byTarget[pair.Item];
            var other = cases[holders[random.Next(holders.Count)]];
            samples.Add(new BenchmarkSample
            {
                Axis = axis,
                UserId = cases[i].UserId,
                Position = cases[i].TargetIndex,
                HistoryUserId = other.UserId,
                History = other.History,
                Target = cases[i].Target,
                Preferences = [matched[i].Matched.Text],
                PairedItem = pair.Item,
                Similarity = pair.Similarity,
            });
        }
        return samples;
    }

    /// <summary>
    /// Sentiment following: the user's own next item and its matched preference, asked in both polarities. The
    /// matched preference is the step's preference closest to the target (a negative one through its positive form), so
    /// the target is what it names: with the positive version ("likes rose scents") the item must come into the top-k,
    /// with the negative version ("avoids rose scents") it must stay out. A stored negative preference gives the
    /// negative text and its positive form the positive one, as Mender builds this axis; a stored positive one gives
    /// the positive text and its "avoids" form the negative one (<see cref="OppositeForm"/>). The item is one the
    /// history leads to, so a recommender can reach it; one that reads no preference gives the same list both times and
    /// scores 0. Cases whose preference hardly concerns the item (cosine below
    /// <see cref="BenchmarkBuildOptions.SentimentMinSimilarity"/>) or cannot be turned are left out.
    /// </summary>
    private static List<BenchmarkSample> Sentiment(List<TrainingSample> cases, List<PreferenceMatch> matched, BenchmarkBuildOptions options)
    {
        var samples = new List<BenchmarkSample>();
        for (var i = 0; i < cases.Count; i++)
        {
            var match = matched[i];
            if (match.Similarity < options.SentimentMinSimilarity || OppositeForm.For(match.Matched) is not { } opposite) continue;
            var negative = match.Matched.Sentiment == PreferenceSentiment.Negative;
            samples.Add(new BenchmarkSample
            {
                Axis = BenchmarkAxis.Sentiment,
                UserId = cases[i].UserId,
                Position = cases[i].TargetIndex,
                HistoryUserId = cases[i].UserId,
                History = cases[i].History,
                Target = cases[i].Target,
                Preferences = [],
                Similarity = match.Similarity,
                Negative = negative ? match.Matched.Text : opposite,
                Positive = negative ? opposite : match.Matched.Text,
            });
        }
        return samples;
    }
}
