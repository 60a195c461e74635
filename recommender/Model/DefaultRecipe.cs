namespace Mender.Recommender.Model;

/// <summary>The settings a default recipe picked, and each rule that set them, in words a run's log can print.</summary>
/// <param name="Config">The model and training settings.</param>
/// <param name="Rules">Why each setting has its value.</param>
public sealed record RecipeChoice(MenderConfig Config, IReadOnlyList<string> Rules);

/// <summary>
/// The settings `mender train` picks for tiger and mender modes when no config is given. Each rule reads what the run
/// can afford, never a dataset's name: how many training samples the dataset has, and how many of them the time budget
/// lets a model see on this machine, measured by timing a few seconds of that model's training steps.
/// </summary>
public static class DefaultRecipe
{
    /// <summary>
    /// Passes over the training samples the budget must allow before the paper's larger model is chosen. Generative
    /// retrieval learns its codes over many passes (the TIGER paper trains about 390 on Amazon Beauty); a model that sees
    /// the data a handful of times is undertrained whatever its size: in 105-minute tiger-mode Beauty runs side by side
    /// on one core each, the small model passing 149 times reached Recall@10 .0719 and NDCG@10 .0390, the paper's model
    /// passing 20 times (with the schedule this recipe fits) .0607 and .0315.
    /// </summary>
    public const double EpochsForThePaperModel = 100;

    /// <summary>Validations in a budgeted run: enough to keep a good checkpoint, few enough to cost a small share of the time.</summary>
    public const int ValidationsPerRun = 25;

    /// <summary>
    /// The share of the budget the run's validations may take. It decides how many users each one scores, at least the
    /// preset's and at most all: a thousand users leave a noise of about .005 in NDCG@10, more than checkpoints late in a
    /// run differ by. A 3-hour tiger-mode Beauty run that validated on 1,000 users kept a checkpoint from 37% of the way
    /// whose NDCG@10 on all 22,363 validation users was .0487, against .0494 for the weights it ended with (test .0361
    /// against .0378); all of them take 7 seconds there.
    /// </summary>
    public const double ValidationShareOfBudget = 0.03;

    /// <summary>
    /// The step limit over the steps the probe's pace fits in the budget. A probe of a few seconds can be far off: on a
    /// shared 2-core machine one measured 410 samples/s where the run then trained at 1,050, so at twice the plan the step
    /// limit ended a 40-minute run after 31. Four times leaves the budget to end the run, and the learning rate to anneal to it.
    /// </summary>
    public const int StepLimitOverPlan = 4;

    /// <summary>
    /// The share of each item vector given to co-occurrence when `mender train` builds the semantic IDs itself, in both
    /// modes. Items bought together getting nearby codes is what a model of histories predicts best: on Beauty, in two
    /// tiger-mode runs side by side with 40-minute budgets, 0.8 gave Recall@10 .0608 against .0442 for text alone. Mender
    /// mode gains as much: in 15-minute Beauty runs over three seeds, Recall@10 .0692 ± .0017 against .0589 ± .0025
    /// for text alone, and on the five axes text alone left it behind tiger mode on preference-based recommendation
    /// (.0584 against .0632), where co-occurrence put it ahead (.0689), with steering and sentiment led either way.
    /// </summary>
    public const double CooccurrenceShare = 0.8;

    /// <summary>
    /// The learning rate times the model width: 1e-3 at the paper's width of 128, and twice that at 64, since a narrower
    /// model's updates move each weight less.
    /// </summary>
    public const double LearningRateTimesWidth = 0.128;

    /// <summary>
    /// Picks the settings of a <paramref name="mode"/> run over <paramref name="trainingSamples"/> samples.
    /// <paramref name="samplesPerSecond"/> measures how fast a candidate config trains here; it is called only when a
    /// <paramref name="budget"/> is given, small model first, and the paper's model is measured only when the small one
    /// could pass over the data <see cref="EpochsForThePaperModel"/> times. Given the number of
    /// <paramref name="validationUsers"/> and <paramref name="validationUsersPerSecond"/>, how fast the chosen config
    /// scores them, each validation scores as many as <see cref="ValidationShareOfBudget"/> of the budget allows.
    /// </summary>
    public static RecipeChoice Choose(MenderMode mode, int trainingSamples, TimeSpan? budget, Func<MenderConfig, double> samplesPerSecond,
        int validationUsers = 0, Func<MenderConfig, double>? validationUsersPerSecond = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainingSamples, 1);
        ArgumentNullException.ThrowIfNull(samplesPerSecond);
        var paper = Preset("paper", mode);
        if (budget is not { } limit)
            return new RecipeChoice(paper, ["no time budget: the paper's model and schedule, ended by early stopping"]);
        if (!(limit > TimeSpan.Zero)) throw new ArgumentOutOfRangeException(nameof(budget), budget, "the time budget must be positive");

        var small = Preset("cpu", mode);
        var smallRate = samplesPerSecond(small);
        var smallEpochs = Epochs(smallRate, limit, trainingSamples);
        if (smallEpochs >= EpochsForThePaperModel)
        {
            var paperRate = samplesPerSecond(paper);
            var paperEpochs = Epochs(paperRate, limit, trainingSamples);
            if (paperEpochs >= EpochsForThePaperModel)
                return Fit(paper, paperRate, limit, trainingSamples, validationUsers, validationUsersPerSecond,
                    $"paper model (d {paper.Model.ModelDim}, {paper.Model.EncoderLayers} + {paper.Model.DecoderLayers} layers): at {paperRate:N0} samples/s the budget passes over the {trainingSamples:N0} samples {paperEpochs:N0} times, at least {EpochsForThePaperModel:N0}");
        }
        return Fit(small, smallRate, limit, trainingSamples, validationUsers, validationUsersPerSecond,
            $"small model (d {small.Model.ModelDim}, {small.Model.EncoderLayers} + {small.Model.DecoderLayers} layers): the paper's model could not pass over the {trainingSamples:N0} samples {EpochsForThePaperModel:N0} times in the budget; this one does {smallEpochs:N0} at {smallRate:N0} samples/s");
    }

    /// <summary>A named preset (<c>paper</c> or <c>cpu</c>) in <paramref name="mode"/>.</summary>
    public static MenderConfig Preset(string name, MenderMode mode)
    {
        var preset = MenderConfig.Preset(name);
        return preset with { Model = preset.Model with { Mode = mode } };
    }

    private static double Epochs(double samplesPerSecond, TimeSpan budget, int trainingSamples) =>
        samplesPerSecond * budget.TotalSeconds / trainingSamples;

    /// <summary>Fits the schedule of a model that trains at <paramref name="rate"/> samples/s to the budget.</summary>
    private static RecipeChoice Fit(MenderConfig shape, double rate, TimeSpan budget, int trainingSamples, int validationUsers,
        Func<MenderConfig, double>? validationUsersPerSecond, string shapeRule)
    {
        var training = shape.Training;
        var stepsPerEpoch = (trainingSamples + training.BatchSize - 1) / training.BatchSize;
        var plannedSteps = (int)Math.Clamp(rate * budget.TotalSeconds / training.BatchSize, 1, int.MaxValue / StepLimitOverPlan);
        var learningRate = (float)(LearningRateTimesWidth / shape.Model.ModelDim);
        // A third of an epoch lets Adam's moment estimates settle before the full rate; never more than a tenth of the run.
        var warmup = Math.Min(Math.Clamp(stepsPerEpoch / 3, 100, 1000), plannedSteps / 10);
        var evalEvery = Math.Max(1, plannedSteps / ValidationsPerRun);
        var (scored, validationRule) = ValidationUsers(shape, budget, validationUsers, validationUsersPerSecond);
        var config = shape with
        {
            Training = training with
            {
                LearningRate = learningRate,
                // Candidate: validate and keep an average of the weights over about the last thousand steps.
                WeightAverage = 0.999f,
                WarmupSteps = warmup,
                MaxSteps = StepLimitOverPlan * plannedSteps,
                EvalEvery = evalEvery,
                ValidationUsers = scored,
                // Early stopping never ends a budgeted run: the best validated checkpoint is kept anyway.
                Patience = StepLimitOverPlan * ValidationsPerRun,
            },
        };
        return new RecipeChoice(config,
        [
            shapeRule,
            $"learning rate {learningRate:G3} = {LearningRateTimesWidth} / width {shape.Model.ModelDim}, warm-up {warmup:N0} steps (a third of an epoch of {stepsPerEpoch:N0} steps)",
            $"about {plannedSteps:N0} steps of {training.BatchSize} fit the budget at that pace; the step limit is {StepLimitOverPlan} times that, so the budget ends the run and the learning rate anneals to its end",
            $"validation every {evalEvery:N0} steps (about {ValidationsPerRun} in the run) {validationRule}; early stopping waits for {StepLimitOverPlan * ValidationsPerRun} validations without a new best, so not within the run, which keeps its best validated checkpoint anyway",
        ]);
    }

    /// <summary>
    /// Users each validation scores (0 for all) and why: as many as <see cref="ValidationShareOfBudget"/> of the
    /// budget allows at the measured pace, at least the preset's; the preset's when the pace is not measured.
    /// </summary>
    private static (int Users, string Rule) ValidationUsers(MenderConfig shape, TimeSpan budget, int available, Func<MenderConfig, double>? usersPerSecond)
    {
        var preset = shape.Training.ValidationUsers;
        if (available <= 0 || usersPerSecond is null) return (preset, $"on {preset:N0} users");
        var pace = usersPerSecond(shape);
        var affordable = pace * budget.TotalSeconds * ValidationShareOfBudget / ValidationsPerRun;
        if (affordable >= available)
            return (0, $"on all {available:N0} validation users ({ValidationShareOfBudget * 100:0}% of the budget allows {affordable:N0} at {pace:N0} users/s)");
        var users = (int)Math.Max(preset, affordable);
        return (users, $"on {users:N0} of the {available:N0} validation users ({ValidationShareOfBudget * 100:0}% of the budget at {pace:N0} users/s, at least {preset:N0})");
    }
}
