using System.Diagnostics;
using System.Globalization;
using Mender.Benchmark.Axes;
using Mender.Recommender.Evaluation;

namespace Mender.Benchmark.Runs;

/// <summary>
/// Evaluates recommenders on every axis of a built benchmark. Each target is ranked among the full catalogue by the
/// recommender's top-10 (history items are not excluded, as in leave-one-out evaluation). Sentiment samples are asked
/// twice, with the negative and with the positive preference.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>How many items each recommender is asked for per query.</summary>
    public const int TopK = 10;
    private const int Chunk = 256;

    /// <summary>Asks every recommender every sample of every axis and scores the answers.</summary>
    /// <param name="set">The built benchmark.</param>
    /// <param name="bench">The benchmark folder, as the report names it.</param>
    /// <param name="recommenders">The recommenders to compare; two with the same name are told apart by a number.</param>
    /// <param name="progress">Told which recommender and axis are running and how many queries are answered.</param>
    /// <param name="cancellation">Stops the run between chunks of queries.</param>
    public static async Task<BenchmarkReport> RunAsync(BenchmarkSet set, string bench, IReadOnlyList<IPreferenceRecommender> recommenders,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellation = default)
    {
        var names = recommenders.Select(r => r.Name).ToList();
        var total = recommenders.Count * BenchmarkAxes.All.Sum(a => (long)set[a].Count * (a == BenchmarkAxis.Sentiment ? 2 : 1));
        long done = 0;
        var results = new List<RecommenderScores>();
        for (var index = 0; index < recommenders.Count; index++)
        {
            var recommender = recommenders[index];
            // Two checkpoints of one mode would otherwise share a row name.
            var name = names.Count(n => n == recommender.Name) > 1 ? $"{recommender.Name}#{names.Take(index + 1).Count(n => n == recommender.Name)}" : recommender.Name;
            var clock = Stopwatch.StartNew();
            var axes = new List<AxisScore>();
            foreach (var axis in BenchmarkAxes.All)
            {
                var samples = set[axis];
                var report = (long answered) => progress?.Report(new BenchmarkProgress(name, axis.Name(), done + answered, total));
                if (axis == BenchmarkAxis.Sentiment)
                {
                    var targets = samples.Select(s => s.Target).ToList();
                    var positive = Ranks(await ListsAsync(recommender, samples.Select(s => new BenchmarkQuery(s.History, [s.Positive!])).ToList(), report, cancellation)
                        .ConfigureAwait(false), targets);
                    done += samples.Count;
                    var negative = Ranks(await ListsAsync(recommender, samples.Select(s => new BenchmarkQuery(s.History, [s.Negative!])).ToList(), report, cancellation)
                        .ConfigureAwait(false), targets);
                    done += samples.Count;
                    axes.Add(SentimentScore(axis, positive, negative));
                }
                else
                {
                    var lists = await ListsAsync(recommender, samples.Select(s => new BenchmarkQuery(s.History, s.Preferences)).ToList(), report, cancellation)
                        .ConfigureAwait(false);
                    done += samples.Count;
                    var score = Score(axis, Ranks(lists, samples.Select(s => s.Target)));
                    if (axis is BenchmarkAxis.FineSteering or BenchmarkAxis.CoarseSteering)
                        score = score with { PairedRecallAt10 = Mean(Ranks(lists, samples.Select(s => s.PairedItem ?? -1)), r => RankingMetrics.RecallAt(r, 10)) };
                    axes.Add(score);
                }
            }
            results.Add(new RecommenderScores(name, recommender.Source, axes, clock.Elapsed.TotalSeconds));
        }
        return new BenchmarkReport(set.Manifest.Dataset, bench, set.Manifest, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), results);
    }

    /// <summary>The recommender's top-10 for every query, asked in chunks so progress and cancellation come through.</summary>
    private static async Task<int[][]> ListsAsync(IPreferenceRecommender recommender, List<BenchmarkQuery> queries, Action<long> report,
        CancellationToken cancellation)
    {
        var lists = new int[queries.Count][];
        for (var start = 0; start < queries.Count; start += Chunk)
        {
            cancellation.ThrowIfCancellationRequested();
            var part = queries.GetRange(start, Math.Min(Chunk, queries.Count - start));
            var found = await recommender.RecommendAsync(part, TopK, cancellation).ConfigureAwait(false);
            if (found.Length != part.Count)
                throw new InvalidOperationException($"{recommender.Name} returned {found.Length} lists for {part.Count} queries");
            found.CopyTo(lists, start);
            report(start + part.Count);
        }
        return lists;
    }

    /// <summary>The 0-based rank of each item in its list (-1 when absent).</summary>
    private static int[] Ranks(int[][] lists, IEnumerable<int> items) => items.Select((item, i) => RankingMetrics.RankOf(lists[i], item)).ToArray();

    private static AxisScore Score(BenchmarkAxis axis, int[] ranks) => new(
        axis.Name(), ranks.Length,
        Mean(ranks, r => RankingMetrics.RecallAt(r, 5)), Mean(ranks, r => RankingMetrics.RecallAt(r, 10)),
        Mean(ranks, r => RankingMetrics.NdcgAt(r, 5)), Mean(ranks, r => RankingMetrics.NdcgAt(r, 10)));

    private static AxisScore SentimentScore(BenchmarkAxis axis, int[] positive, int[] negative)
    {
        double Combined(int k)
        {
            var hits = 0;
            for (var i = 0; i < positive.Length; i++)
                if (RankingMetrics.RecallAt(positive[i], k) > 0 && RankingMetrics.RecallAt(negative[i], k) == 0) hits++;
            return positive.Length == 0 ? 0 : (double)hits / positive.Length;
        }
        return Score(axis, positive) with
        {
            Sentiment = new SentimentScore(
                Mean(positive, r => RankingMetrics.RecallAt(r, 5)), Mean(positive, r => RankingMetrics.RecallAt(r, 10)),
                Mean(negative, r => RankingMetrics.RecallAt(r, 5)), Mean(negative, r => RankingMetrics.RecallAt(r, 10)),
                Combined(5), Combined(10)),
        };
    }

    private static double Mean(int[] ranks, Func<int, double> metric) => ranks.Length == 0 ? 0 : ranks.Sum(metric) / ranks.Length;
}
