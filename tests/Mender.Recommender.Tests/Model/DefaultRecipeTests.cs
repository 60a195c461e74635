using Mender.Recommender.Model;

namespace Mender.Recommender.Tests.Model;

public sealed class DefaultRecipeTests
{
    // Paces of the three models, as a probe on some machine might measure them; the feed-forward width tells them apart.
    private const double SmallRate = 4000;
    private const double MediumRate = 1100;
    private const double PaperRate = 130;

    private static double Pace(MenderConfig config) => config.Model.FeedForwardDim switch
    {
        256 => SmallRate,
        512 => MediumRate,
        1024 => PaperRate,
        var width => throw new ArgumentException($"no pace for feed-forward width {width}"),
    };

    [Fact]
    public void WithoutABudgetThePaperRecipeIsTakenWithoutTimingAnything()
    {
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, null, _ => throw new InvalidOperationException("no probe without a budget"));
        Assert.Equal(MenderModelConfig.Paper with { Mode = MenderMode.Tiger }, choice.Config.Model);
        Assert.Equal(MenderTrainingConfig.Paper, choice.Config.Training);
    }

    [Fact]
    public void ABudgetTooShortForTheMediumModelGetsTheSmallOneFittedToTheBudget()
    {
        var probed = new List<int>();
        var budget = TimeSpan.FromMinutes(90);
        var choice = DefaultRecipe.Choose(MenderMode.Mender, 130_000, budget, c => { probed.Add(c.Model.FeedForwardDim); return Pace(c); });

        var model = choice.Config.Model;
        var training = choice.Config.Training;
        Assert.Equal((64, MenderMode.Mender), (model.ModelDim, model.Mode));
        // 4,000 samples/s pass over 130k samples 166 times in 90 min, so the medium model is timed too; at 1,100 it passes
        // 46 times, so the paper's is not.
        Assert.Equal([256, 512], probed);
        Assert.Equal(0.002f, training.LearningRate, 6);
        var planned = SmallRate * budget.TotalSeconds / training.BatchSize;
        Assert.InRange(training.MaxSteps, planned * (DefaultRecipe.StepLimitOverPlan - 0.1), planned * (DefaultRecipe.StepLimitOverPlan + 0.1));
        Assert.InRange(training.EvalEvery, planned / DefaultRecipe.ValidationsPerRun - 1, planned / DefaultRecipe.ValidationsPerRun + 1);
        Assert.Equal(130_000 / training.BatchSize / 3, training.WarmupSteps);
        Assert.True(training.Patience * training.EvalEvery >= training.MaxSteps, "early stopping must not cut the annealed end of the run");
        Assert.Contains(choice.Rules, r => r.StartsWith("cpu model") && r.Contains("the medium model would pass 46 times"));
    }

    [Fact]
    public void TheSmallModelIsKeptWithoutTimingALargerOneWhenEvenItCannotPassOverTheData100Times()
    {
        var probed = new List<int>();
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, TimeSpan.FromMinutes(20), c => { probed.Add(c.Model.FeedForwardDim); return Pace(c); });
        Assert.Equal(64, choice.Config.Model.ModelDim);
        Assert.Equal([256], probed);
        Assert.Contains(choice.Rules, r => r.Contains("no model is smaller"));
    }

    [Fact]
    public void ABudgetThatPassesTheMediumModelOverTheData100TimesButNotThePapersTakesTheMediumOne()
    {
        var probed = new List<int>();
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, TimeSpan.FromMinutes(240), c => { probed.Add(c.Model.FeedForwardDim); return Pace(c); });

        // In 4 hours 1,100 samples/s pass over 130k samples 122 times; the paper's 130 samples/s only 14.
        Assert.Equal([256, 512, 1024], probed);
        Assert.Equal(MenderModelConfig.Medium with { Mode = MenderMode.Tiger }, choice.Config.Model);
        Assert.Equal(MenderTrainingConfig.Medium.BatchSize, choice.Config.Training.BatchSize);
        Assert.Equal(0.001f, choice.Config.Training.LearningRate, 6);
        Assert.Contains(choice.Rules, r => r.StartsWith("medium model") && r.Contains("122 times") && r.Contains("the paper model would pass 14 times"));
    }

    [Fact]
    public void ASmallDatasetOrALongBudgetAffordsThePaperModelAtItsOwnLearningRate()
    {
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 5_000, TimeSpan.FromMinutes(80), Pace);
        Assert.Equal(MenderModelConfig.Paper.ModelDim, choice.Config.Model.ModelDim);
        Assert.Equal(MenderModelConfig.Paper.EncoderLayers, choice.Config.Model.EncoderLayers);
        Assert.Equal(0.001f, choice.Config.Training.LearningRate, 6);
        Assert.Contains(choice.Rules, r => r.StartsWith("paper model") && r.Contains("the largest model there is"));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(130_000)]
    [InlineData(5_000_000)]
    public void WarmUpIsAThirdOfAnEpochWithinItsBoundsAndNeverMoreThanATenthOfTheRun(int samples)
    {
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, samples, TimeSpan.FromMinutes(30), Pace);
        var training = choice.Config.Training;
        var stepsPerEpoch = (samples + training.BatchSize - 1) / training.BatchSize;
        var planned = Pace(choice.Config) * 30 * 60 / training.BatchSize;
        Assert.Equal(Math.Min(Math.Clamp(stepsPerEpoch / 3, 100, 1000), (int)planned / 10), training.WarmupSteps);
        training.Validate();
    }

    [Theory]
    [InlineData(180, 3_000, 0)]
    [InlineData(15, 3_000, 3_240)]
    [InlineData(15, 100, 1_000)]
    public void EachValidationScoresTheUsersAShareOfTheBudgetAffordsAtLeastThePresetsAndAtMostAll(int minutes, double usersPerSecond, int expected)
    {
        var paced = new List<int>();
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, TimeSpan.FromMinutes(minutes), _ => SmallRate, validationUsers: 22_363,
            validationUsersPerSecond: c => { paced.Add(c.Model.ModelDim); return usersPerSecond; });

        // 3% of 15 minutes at 3,000 users/s over 25 validations is 3,240 users each; of 180 minutes, more than there are.
        Assert.Equal(expected, choice.Config.Training.ValidationUsers);
        Assert.Equal([choice.Config.Model.ModelDim], paced);
        Assert.Contains(choice.Rules, r => r.Contains(expected == 0 ? "on all 22,363 validation users" : $"on {expected:N0} of the 22,363"));
    }

    [Fact]
    public void WithoutAValidationPaceEachValidationScoresThePresetsUsers()
    {
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, TimeSpan.FromMinutes(15), _ => SmallRate);
        Assert.Equal(MenderTrainingConfig.Cpu.ValidationUsers, choice.Config.Training.ValidationUsers);
    }

    [Fact]
    public void EachRungOfTheLadderIsAValidPresetLargerThanTheOneBelow()
    {
        var sizes = DefaultRecipe.Ladder.Select(name =>
        {
            Assert.Contains(name, MenderConfig.PresetNames);
            var config = DefaultRecipe.Preset(name, MenderMode.Tiger);
            config.Training.Validate();
            return new MenderModel(config.Model with { CodebookSizes = [256, 256, 256, 8] }).ParameterCount;
        }).ToList();
        Assert.Equal(sizes.Order(), sizes);
        Assert.Equal(sizes.Count, sizes.Distinct().Count());
    }

    [Fact]
    public void ABudgetOfNothingIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultRecipe.Choose(MenderMode.Tiger, 100, TimeSpan.Zero, Pace));
}
