using Mender.Data;
using Mender.Data.Runs;
using Mender.Preference.Matching;
using Mender.Recommender.Baselines;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Model;

namespace Mender.Benchmark.Runs;

/// <summary>
/// What `mender eval` scores: a checkpoint (tiger, mender or SASRec) or the most-popular baseline, and the leave-one-out
/// cases it is scored on. Opened the same way by the CLI and by every silo of a cluster evaluation, so that both rank
/// the same cases with the same model.
/// </summary>
/// <param name="Recommender">The model or baseline, ready to recommend.</param>
/// <param name="Cases">The cases, in order (an evenly spaced subset when a limit was given).</param>
public sealed record EvaluationTarget(IRecommender Recommender, IReadOnlyList<TrainingSample> Cases)
{
    /// <summary>
    /// Cases recommended at once. A cluster evaluation cuts the cases into slices that start at multiples of it, so each
    /// slice is recommended in the very batches of a single-process run and gives its lists bit for bit.
    /// </summary>
    public const int BatchSize = 64;

    /// <summary>The baseline <see cref="OpenAsync"/> knows.</summary>
    public const string MostPopular = "most-popular";

    /// <param name="data">The dataset.</param>
    /// <param name="checkpoint">A run directory; null with <paramref name="baseline"/>.</param>
    /// <param name="baseline"><see cref="MostPopular"/>, or null with <paramref name="checkpoint"/>.</param>
    /// <param name="test">The test split; false for the validation split.</param>
    /// <param name="beam">The beam width of a tiger or mender checkpoint; null for its own.</param>
    /// <param name="limit">At most this many cases, evenly spaced; 0 for all.</param>
    /// <param name="log">Hears what is being loaded.</param>
    /// <param name="cancellationToken">Stops the preference matching.</param>
    public static async Task<EvaluationTarget> OpenAsync(Dataset data, string? checkpoint, string? baseline, bool test, int? beam, int limit,
        Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if ((checkpoint is null) == (baseline is null)) throw new ArgumentException("give either a checkpoint or a baseline");
        if (baseline is not null && baseline != MostPopular) throw new ArgumentException($"'{baseline}' is not a baseline (the one there is: {MostPopular})");
        IRecommender recommender;
        LeaveOneOutSplit split;
        if (checkpoint is null)
        {
            split = LeaveOneOutSplit.Create(data);
            // Test histories include the validation item, so its counts do too.
            recommender = new MostPopular(data.Items.Count, test ? split.Train.Concat(split.Validation.Select(c => new[] { c.Target })) : split.Train);
        }
        else if (RunDirectory.Open(checkpoint).Method == RunDirectory.SasRec)
        {
            var sasrec = SasRecRecommender.Load(checkpoint, data);
            split = LeaveOneOutSplit.Create(data, sasrec.Model.Config.MaxLength);
            recommender = sasrec;
        }
        else
        {
            var trained = TrainedMender.Open(checkpoint, new TextEmbedders(data));
            split = LeaveOneOutSplit.Create(data, trained.Model.Config.MaxHistory);
            PreferenceInputs? inputs = null;
            if (trained.Mode == MenderMode.Mender && trained.Info.Preferences is not null && trained.Embedder is not null)
            {
                log?.Invoke($"matching preferences from {trained.Info.Preferences}");
                var (matched, matches) = await MatchedPreferenceInputs.LoadAsync(data, trained.Info.Preferences, trained.Embedder,
                    (test ? split.Test : split.Validation).Select(c => (c.UserId, c.TargetIndex)), cancellationToken).ConfigureAwait(false);
                log?.Invoke($"{matches.All.Count:N0} of {matches.Targets:N0} targets have a preference");
                inputs = matched;
            }
            recommender = trained.Recommender(beam, inputs);
        }
        return new EvaluationTarget(recommender, LeaveOneOutEvaluator.Subset(test ? split.Test : split.Validation, limit));
    }
}
