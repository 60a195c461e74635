using Mender.Data;
using Mender.Numerics;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Tests.Model;

/// <summary>
/// A tiny catalogue where each user's next item is fixed by a preference stated before it and not by the history:
/// a model that reads the preference can predict the target exactly, one that reads only the history cannot.
/// </summary>
internal sealed class SyntheticWorld
{
    public const int Targets = 32;
    public const int Items = 40;

    public SyntheticWorld(int users, int length, ulong seed)
    {
        var rng = new Rng(seed);
        var items = Enumerable.Range(0, Items).Select(i => new Item(i, $"i{i}", $"item {i}")).ToArray();
        var userList = new List<User>();
        Preferences = new PreferenceInputs(Targets);
        for (var u = 0; u < users; u++)
        {
            var interactions = new List<Interaction> { new(Targets + rng.NextInt(Items - Targets), 0) };
            for (var t = 1; t < length; t++)
            {
                var wanted = rng.NextInt(Targets);
                interactions.Add(new Interaction(wanted, t));
                var vector = new float[Targets];
                vector[wanted] = 1;
                Preferences.Add(u, t, vector);
            }
            userList.Add(new User(u, $"u{u}", interactions));
        }
        Dataset = new Dataset("synthetic", items, userList);
        var codes = new int[Items * 4];
        for (var i = 0; i < Items; i++)
        {
            codes[i * 4] = i / 16;
            codes[i * 4 + 1] = i / 4 % 4;
            codes[i * 4 + 2] = i % 4;
        }
        Sids = new SidTable(items.Select(i => i.ExternalId).ToArray(), codes, 4, [3, 4, 4, 1]);
        Split = LeaveOneOutSplit.Create(Dataset);
    }

    public Dataset Dataset { get; }
    public SidTable Sids { get; }
    public LeaveOneOutSplit Split { get; }
    public PreferenceInputs Preferences { get; }

    public static MenderConfig TinyConfig(MenderMode mode, int maxSteps, float dropout = 0f) => new()
    {
        Model = new MenderModelConfig
        {
            Mode = mode, ModelDim = 32, Heads = 2, HeadDim = 16, FeedForwardDim = 64, Dropout = dropout, EncoderLayers = 1, DecoderLayers = 1,
        },
        Training = new MenderTrainingConfig
        {
            BatchSize = 64, LearningRate = 3e-3f, WeightDecay = 0f, WarmupSteps = 20, MaxSteps = maxSteps, EvalEvery = maxSteps,
            Patience = 5, ValidationUsers = 50, Beam = 10,
        },
    };

    /// <summary>The tiny tiger-mode model shape over this world's SIDs, ready to build an untrained model from.</summary>
    public MenderModelConfig TinyTigerModel(ulong seed) => TinyConfig(MenderMode.Tiger, 10).Model with
    {
        CodebookSizes = Sids.CodebookSizes.ToArray(), PreferenceDim = 0, MaxHistory = 20, Seed = seed,
    };
}
