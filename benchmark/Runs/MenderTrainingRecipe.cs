using Mender.Data;
using Mender.Data.Runs;
using Mender.Numerics.Checkpoints;
using Mender.Preference.Matching;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.Benchmark.Runs;

/// <summary>
/// How a tiger- or mender-mode run is put together from its inputs: the leave-one-out split capped at the model's
/// history, the store's preferences matched to their targets and embedded (mender mode), item text embeddings (when the
/// model reads them), and the checkpoint record of where each input came from. `mender train` and the demo both train
/// through it, so a run the demo leaves is one the command would have made from the same inputs.
/// </summary>
/// <param name="dataset">The dataset to train on.</param>
/// <param name="datasetPath">The dataset's path as the checkpoint records it.</param>
/// <param name="embedders">The dataset's text embedders.</param>
/// <param name="embedderSpec">The text embedder of preferences and item text, e.g. <c>TextEmbedders.LexicalSpec()</c>.</param>
public sealed class MenderTrainingRecipe(Dataset dataset, string datasetPath, TextEmbedders embedders, string embedderSpec)
{
    /// <summary>
    /// The trainer and checkpoint record for <paramref name="config"/>. <paramref name="preferences"/> is the preference
    /// store, read in mender mode only; <paramref name="log"/> hears what is being prepared and how many targets found a
    /// preference.
    /// </summary>
    public async Task<(MenderTrainer Trainer, MenderCheckpointInfo Info)> PrepareAsync(MenderConfig config, SidTable sids, string sidsPath,
        string? preferences, Action<string>? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var menderMode = config.Model.Mode == MenderMode.Mender;
        var embedder = menderMode || config.Model.ItemText ? embedderSpec : null;
        PreferenceInputs? inputs = null;
        if (menderMode)
        {
            var store = preferences ?? throw new ArgumentException("mender mode needs a preference store", nameof(preferences));
            log?.Invoke($"matching preferences from {store}");
            var (matched, matches) = await MatchedPreferenceInputs.LoadAsync(dataset, store, embedders.Get(embedderSpec), null, cancellation)
                .ConfigureAwait(false);
            log?.Invoke($"{matches.All.Count:N0} of {matches.Targets:N0} targets have a preference");
            inputs = matched;
        }
        var itemText = config.Model.ItemText ? embedders.ItemTextMatrix(embedderSpec) : null;
        var trainer = new MenderTrainer(LeaveOneOutSplit.Create(dataset, config.Model.MaxHistory), sids, config, inputs, itemText);
        var info = new MenderCheckpointInfo
        {
            Dataset = datasetPath,
            Sids = sidsPath,
            Preferences = menderMode ? preferences : null,
            Embedder = embedder,
        };
        return (trainer, info);
    }

    /// <summary>
    /// The trainer and checkpoint record of a run given no config. A run that began in <paramref name="directory"/>
    /// resumes with the settings its config.json recorded; a new one takes <see cref="DefaultRecipe"/>'s choice for the
    /// dataset and <paramref name="budget"/>, measured on this machine. <see cref="RecipeChoice.Rules"/> says why.
    /// </summary>
    public async Task<(MenderTrainer Trainer, MenderCheckpointInfo Info, RecipeChoice Choice)> PrepareDefaultAsync(MenderMode mode, TimeSpan? budget,
        string directory, SidTable sids, string sidsPath, string? preferences, Action<string>? log = null, CancellationToken cancellation = default)
    {
        if (RecordedConfig(directory) is { } recorded)
        {
            var (resumed, resumedInfo) = await PrepareAsync(recorded, sids, sidsPath, preferences, log, cancellation).ConfigureAwait(false);
            return (resumed, resumedInfo, new RecipeChoice(recorded, [$"the settings {Path.Combine(directory, Checkpoint.ConfigFile)} recorded when this run began"]));
        }
        var (trainer, info) = await PrepareAsync(DefaultRecipe.Preset("cpu", mode), sids, sidsPath, preferences, log, cancellation).ConfigureAwait(false);
        log?.Invoke("timing a few training steps to fit the model to the budget");
        var choice = DefaultRecipe.Choose(mode, trainer.SampleCount, budget, config => trainer.With(config).MeasureSamplesPerSecond(ProbeWarmUp, ProbeTime),
            trainer.ValidationUserCount, config => trainer.With(config).MeasureValidationUsersPerSecond(ValidationProbeTime));
        return (trainer.With(choice.Config), info, choice);
    }

    // Long enough for the small model's pace to settle (its first steps run at a quarter of it), short next to a budget.
    private static readonly TimeSpan ProbeWarmUp = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ValidationProbeTime = TimeSpan.FromSeconds(1);

    /// <summary>The model and training settings of the Mender run <paramref name="directory"/> holds, if any.</summary>
    private static MenderConfig? RecordedConfig(string directory)
    {
        if (!RunDirectory.HoldsCheckpoint(directory)) return null;
        var run = RunDirectory.Open(directory);
        if (run.Method != RunDirectory.Mender) return null;
        var info = run.ReadConfig<MenderCheckpointInfo>();
        return new MenderConfig { Model = info.Model, Training = info.Training };
    }
}
