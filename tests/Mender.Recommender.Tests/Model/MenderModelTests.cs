using Mender.Numerics.Autograd;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;

namespace Mender.Recommender.Tests.Model;

public class MenderModelTests
{
    private static MenderModel TinyModel(MenderMode mode, SyntheticWorld world)
    {
        var config = SyntheticWorld.TinyConfig(mode, 10).Model with
        {
            CodebookSizes = world.Sids.CodebookSizes.ToArray(),
            PreferenceDim = mode == MenderMode.Mender ? SyntheticWorld.Targets : 0,
            MaxHistory = 20,
        };
        var model = new MenderModel(config);
        model.Eval();
        return model;
    }

    [Fact]
    public void BatchPlacesPreferenceSlotThenRecentItemsWithRecencyPositions()
    {
        var world = new SyntheticWorld(4, 4, 1);
        var vocabulary = new SidVocabulary(world.Sids.CodebookSizes);
        var batch = new MenderBatch(world.Sids, vocabulary, [[5, 6, 7], [9]], maxHistory: 2, preferenceSlots: 1);
        Assert.Equal(2, batch.Items);
        Assert.Equal(new[] { 3, 2 }, batch.KeyLengths);
        Assert.Equal(new[] { 1, 0, 0, 0 }, batch.Positions);
        // Row 0 keeps the two most recent items (6, 7); row 1 has one item and then padding.
        Assert.Equal(vocabulary.Token(2, world.Sids[6][2]), batch.ItemTokens[2]);
        Assert.Equal(vocabulary.Token(0, world.Sids[9][0]), batch.ItemTokens[8]);
        Assert.Equal(SidVocabulary.Pad, batch.ItemTokens[12]);
        Assert.Equal(2 + 3 + 4 + 4 + 1, vocabulary.Size);
    }

    [Fact]
    public void BeamScoresEqualTeacherForcedLogProbabilities()
    {
        var world = new SyntheticWorld(4, 4, 2);
        var model = TinyModel(MenderMode.Mender, world);
        var history = new[] { 3, 17, 35 };
        var preference = new Tensor(1, SyntheticWorld.Targets);
        preference[0, 5] = 1;
        var found = new MenderRecommender(model, world.Sids, beam: 8).Search([history], preference, 8)[0];
        Assert.Equal(8, found.Length);
        foreach (var r in found)
        {
            var sid = world.Sids[r.Item];
            var targets = new int[sid.Length];
            for (var level = 0; level < sid.Length; level++) targets[level] = model.Vocabulary.Token(level, sid[level]);
            using var scope = Tape.NoGrad();
            var batch = new MenderBatch(world.Sids, model.Vocabulary, [history], 20, model.PreferenceSlots);
            var logProbs = Ops.LogSoftmax(model.Forward(batch, preference, targets)).Span;
            var expected = 0f;
            for (var level = 0; level < sid.Length; level++) expected += logProbs[level * model.Vocabulary.Size + targets[level]];
            Assert.Equal(expected, r.Score, 3);
        }
    }

    [Fact]
    public void BatchedSearchMatchesOneUserAtATime()
    {
        var world = new SyntheticWorld(4, 4, 3);
        var model = TinyModel(MenderMode.Tiger, world);
        int[][] histories = [[1, 2, 3], [39], [10, 11, 12, 13, 14, 15, 16], [20, 20]];
        var recommender = new MenderRecommender(model, world.Sids, beam: 6);
        var batched = recommender.Search(histories, null, 6);
        for (var i = 0; i < histories.Length; i++)
        {
            var alone = recommender.Search([histories[i]], null, 6)[0];
            Assert.Equal(alone.Select(r => r.Item), batched[i].Select(r => r.Item));
            for (var j = 0; j < alone.Length; j++) Assert.Equal(alone[j].Score, batched[i][j].Score, 4);
            Assert.All(batched[i], r => Assert.InRange(r.Item, 0, SyntheticWorld.Items - 1));
        }
    }

    [Fact]
    public void ItemTextEmbeddingsFeedTheEncoderAndTravelWithTheTrainer()
    {
        var world = new SyntheticWorld(30, 5, 4);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 4);
        config = config with { Model = config.Model with { ItemText = true } };
        var text = Tensor.Normal(new Mender.Numerics.Rng(1), 0, 1, SyntheticWorld.Items, 8);
        Assert.Throws<ArgumentException>(() => new MenderTrainer(world.Split, world.Sids, config));
        var trainer = new MenderTrainer(world.Split, world.Sids, config, itemText: text);
        Assert.Equal(8, trainer.Config.Model.ItemTextDim);
        var model = TrainAndLoad(trainer);
        var recommender = new MenderRecommender(model, world.Sids, beam: 5);
        Assert.Throws<InvalidOperationException>(() => recommender.Search([[1, 2]], null, 5));
        model.AttachItemText(text);
        var before = recommender.Search([[1, 2]], null, 5)[0];
        model.AttachItemText(Tensor.Normal(new Mender.Numerics.Rng(2), 0, 1, SyntheticWorld.Items, 8));
        var after = recommender.Search([[1, 2]], null, 5)[0];
        Assert.NotEqual(before[0].Score, after[0].Score);
    }

    [Fact]
    public void ItemIdEmbeddingsFeedTheEncoderAndTravelWithTheCheckpoint()
    {
        var world = new SyntheticWorld(30, 5, 4);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 4);
        config = config with { Model = config.Model with { ItemIds = true } };
        var trainer = new MenderTrainer(world.Split, world.Sids, config);
        Assert.Equal(SyntheticWorld.Items, trainer.Config.Model.ItemCount);
        Assert.Throws<ArgumentException>(() => new MenderModel(config.Model with { CodebookSizes = world.Sids.CodebookSizes.ToArray() }));
        var model = TrainAndLoad(trainer);
        var embeddings = model.ItemEmbeddings ?? throw new Xunit.Sdk.XunitException("the checkpoint lost the item id embeddings");
        Assert.Equal(new[] { SyntheticWorld.Items, model.Config.ModelDim }, embeddings.Weight.Shape.ToArray());
        var recommender = new MenderRecommender(model, world.Sids, beam: 5);
        var before = recommender.Search([[1, 2]], null, 5)[0];
        // Only item 2's own embedding changes; its codes stay, so a change in the scores comes from the id alone.
        embeddings.Weight.Span.Slice(2 * model.Config.ModelDim, model.Config.ModelDim).Fill(0.5f);
        var after = recommender.Search([[1, 2]], null, 5)[0];
        Assert.NotEqual(before[0].Score, after[0].Score);
        var untouched = recommender.Search([[1, 3]], null, 5)[0];
        Assert.NotEqual(after[0].Score, untouched[0].Score);
    }

    /// <summary>Trains <paramref name="trainer"/>'s run in a scratch folder and loads the checkpoint it leaves.</summary>
    private static MenderModel TrainAndLoad(MenderTrainer trainer)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"mender-model-{Guid.NewGuid():N}");
        try
        {
            trainer.Train(directory, new MenderCheckpointInfo());
            return MenderCheckpoint.Load(directory).Model;
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, true);
        }
    }

    [Fact]
    public void ItemIdDropoutTrainsAnUnknownItemRowThatEvaluationNeverReads()
    {
        var world = new SyntheticWorld(4, 4, 5);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 4).Model with
        {
            CodebookSizes = world.Sids.CodebookSizes.ToArray(),
            MaxHistory = 20,
            ItemIds = true,
            ItemCount = SyntheticWorld.Items,
            ItemIdDropout = 0.5f,
        };
        Assert.Throws<ArgumentException>(() => new MenderModel(config with { ItemIds = false }));
        var model = new MenderModel(config);
        var weight = model.ItemEmbeddings!.Weight;
        Assert.Equal(SyntheticWorld.Items + 1, weight.Dim(0));
        int[][] histories = [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15, 16]];
        var sid = world.Sids[20];
        var targets = new int[histories.Length * sid.Length];
        for (var r = 0; r < histories.Length; r++)
            for (var level = 0; level < sid.Length; level++) targets[r * sid.Length + level] = model.Vocabulary.Token(level, sid[level]);

        model.Train();
        using (var tape = Tape.Record())
        {
            var batch = new MenderBatch(world.Sids, model.Vocabulary, histories, config.MaxHistory, model.PreferenceSlots);
            tape.Backward(model.Loss(batch, null, targets));
        }
        var d = config.ModelDim;
        var gradient = weight.Grad!.ToArray();
        bool Reached(int row) => gradient.AsSpan(row * d, d).ContainsAnyExcept(0f);
        Assert.True(Reached(SyntheticWorld.Items), "dropped history items read the unknown row");
        Assert.InRange(Enumerable.Range(1, 16).Count(Reached), 1, 15);

        model.Eval();
        var recommender = new MenderRecommender(model, world.Sids, beam: 5);
        var before = recommender.Search(histories, null, 5);
        weight.Span.Slice(SyntheticWorld.Items * d, d).Fill(5f);
        var after = recommender.Search(histories, null, 5);
        for (var q = 0; q < histories.Length; q++)
            Assert.Equal(before[q].Select(r => r.Score), after[q].Select(r => r.Score));
    }

    [Fact]
    public void ConfigRoundTripsThroughJsonAndPresetsDiffer()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mender-config-{Guid.NewGuid():N}.json");
        try
        {
            var cpu = MenderConfig.Preset("cpu") with { Model = MenderConfig.Preset("cpu").Model with { Mode = MenderMode.Mender } };
            File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(cpu, MenderConfig.Json));
            Assert.Contains("\"mode\": \"mender\"", File.ReadAllText(path));
            var loaded = MenderConfig.Load(path);
            Assert.Equal(cpu.Training, loaded.Training);
            Assert.Equal(MenderMode.Mender, loaded.Model.Mode);
            Assert.Equal(64, loaded.Model.ModelDim);
            var paper = MenderConfig.Preset("paper").Model;
            Assert.Equal((128, 6, 64, 1024, 0.2f, 4, 4, 20), (paper.ModelDim, paper.Heads, paper.HeadDim, paper.FeedForwardDim, paper.Dropout, paper.EncoderLayers, paper.DecoderLayers, paper.MaxHistory));
            File.WriteAllText(path, "{ \"model\": ");
            Assert.Throws<InvalidDataException>(() => MenderConfig.Load(path));
            Assert.Throws<ArgumentException>(() => MenderConfig.Preset("gpu"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
