using Mender.Recommender.Model;

namespace Mender.Recommender.Tests.Model;

public sealed class DefaultRecipeTests
{
    // Paces of the two models, as a probe on some machine might measure them.
    private const double SmallRate = 4000;
    private const double PaperRate = 130;

    private static double Pace(MenderConfig config) => config.Model.ModelDim == MenderModelConfig.Paper.ModelDim ? PaperRate : SmallRate;

    [Fact]
    public void WithoutABudgetThePaperRecipeIsTakenWithoutTimingAnything()
    {
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, null, _ => throw new InvalidOperationException("no probe without a budget"));
        Assert.Equal(MenderModelConfig.Paper with { Mode = MenderMode.Tiger }, choice.Config.Model);
        Assert.Equal(MenderTrainingConfig.Paper, choice.Config.Training);
    }

    [Fact]
    public void ABudgetTooShortForThePaperModelGetsTheSmallOneFittedToTheBudget()
    {
        var probed = new List<int>();
        var budget = TimeSpan.FromMinutes(90);
        var choice = DefaultRecipe.Choose(MenderMode.Mender, 130_000, budget, c => { probed.Add(c.Model.ModelDim); return Pace(c); });

        var model = choice.Config.Model;
        var training = choice.Config.Training;
        Assert.Equal((64, MenderMode.Mender), (model.ModelDim, model.Mode));
        // 4,000 samples/s pass over 130k samples 166 times in 90 min, so the paper model is timed too; at 130 it passes 5 times.
        Assert.Equal([64, 128], probed);
        Assert.Equal(0.002f, training.LearningRate, 6);
        var planned = SmallRate * budget.TotalSeconds / training.BatchSize;
        Assert.InRange(training.MaxSteps, planned * (DefaultRecipe.StepLimitOverPlan - 0.1), planned * (DefaultRecipe.StepLimitOverPlan + 0.1));
        Assert.InRange(training.EvalEvery, planned / DefaultRecipe.ValidationsPerRun - 1, planned / DefaultRecipe.ValidationsPerRun + 1);
        Assert.Equal(130_000 / training.BatchSize / 3, training.WarmupSteps);
        Assert.True(training.Patience * training.EvalEvery >= training.MaxSteps, "early stopping must not cut the annealed end of the run");
        Assert.Contains(choice.Rules, r => r.Contains("small model"));
    }

    [Fact]
    public void TheSmallModelIsKeptWithoutTimingThePaperOneWhenEvenItCannotPassOverTheData100Times()
    {
        var probed = new List<int>();
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 130_000, TimeSpan.FromMinutes(20), c => { probed.Add(c.Model.ModelDim); return Pace(c); });
        Assert.Equal(64, choice.Config.Model.ModelDim);
        Assert.Equal([64], probed);
    }

    [Fact]
    public void ASmallDatasetOrALongBudgetAffordsThePaperModelAtItsOwnLearningRate()
    {
        var choice = DefaultRecipe.Choose(MenderMode.Tiger, 5_000, TimeSpan.FromMinutes(80), Pace);
        Assert.Equal(MenderModelConfig.Paper.ModelDim, choice.Config.Model.ModelDim);
        Assert.Equal(MenderModelConfig.Paper.EncoderLayers, choice.Config.Model.EncoderLayers);
        Assert.Equal(0.001f, choice.Config.Training.LearningRate, 6);
        Assert.Contains(choice.Rules, r => r.Contains("paper model"));
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
    public void ABudgetOfNothingIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultRecipe.Choose(MenderMode.Tiger, 100, TimeSpan.Zero, Pace));
}
