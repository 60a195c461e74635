using Mender.Data;
using Mender.Data.Demo;
using Mender.Recommender.Model;
using Mender.TestWorlds;

namespace Mender.Service.Tests;

/// <summary>
/// A small demo world written as Amazon review files (reviews with ratings and text, metadata with categories and
/// descriptions), its preferences from the built-in extractor, semantic IDs, and mender- and tiger-mode checkpoints trained
/// for a few dozen steps: made once for the test classes of the collection.
/// </summary>
public sealed class TrainedWorld : IDisposable
{
    public const string Collection = "trained world";

    public TrainedWorld()
    {
        var world = new DemoAmazonWorld(Root, new DemoWorldOptions { Items = 200, Users = 150 });
        Dataset = world.Dataset;
        var config = MenderConfig.Preset("cpu");
        config = config with
        {
            Model = config.Model with { Mode = MenderMode.Mender },
            Training = config.Training with { MaxSteps = 30, EvalEvery = 30, WarmupSteps = 5, ValidationUsers = 50, BatchSize = 64 },
        };
        Checkpoint = world.Train(config, Path.Combine(Root, "run"));
        TigerCheckpoint = world.Train(config with { Model = config.Model with { Mode = MenderMode.Tiger } }, Path.Combine(Root, "tiger"));
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mender-reasoning-" + Guid.NewGuid().ToString("N")[..12]);
    public string Checkpoint { get; }

    /// <summary>A tiger-mode checkpoint (history only) of the same world.</summary>
    public string TigerCheckpoint { get; }
    public Dataset Dataset { get; }

    public RecommendationService Open(string? model = null) =>
        RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = Checkpoint, ModelPath = model, Threads = 1 });

    /// <summary>A copy of the checkpoint (by default the mender-mode one), for tests that add cold-start items beside it.</summary>
    public string CopyCheckpoint(string? checkpoint = null)
    {
        var copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(checkpoint ?? Checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished test is left for the OS to clean up.
        }
    }
}

[CollectionDefinition(TrainedWorld.Collection)]
public sealed class TrainedWorldCollection : ICollectionFixture<TrainedWorld>;
