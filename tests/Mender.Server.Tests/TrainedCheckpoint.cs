using Mender.Data;
using Mender.Data.Demo;
using Mender.Service;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using Mender.TestWorlds;

namespace Mender.Server.Tests;

/// <summary>
/// A tiny mender-mode checkpoint made once per test run with the library API: a small demo world written as Amazon
/// review files, its preferences from the built-in extractor, 2-level semantic IDs, and a small model trained for a
/// few steps. The service over it is opened once and shared by every server the tests host.
/// </summary>
public sealed class TrainedCheckpoint : IDisposable
{
    public TrainedCheckpoint()
    {
        var world = new DemoAmazonWorld(Root, new DemoWorldOptions { Items = 160, Users = 90 },
            new SidBuildOptions { Levels = 2, CodebookSize = 16, KMeansIterations = 10 });
        Dataset = world.Dataset;
        var config = new MenderConfig
        {
            Model = new MenderModelConfig
            {
                Mode = MenderMode.Mender, ModelDim = 32, Heads = 2, HeadDim = 16, FeedForwardDim = 64, Dropout = 0,
                EncoderLayers = 1, DecoderLayers = 1, MaxHistory = 20,
            },
            Training = new MenderTrainingConfig { BatchSize = 32, MaxSteps = 8, WarmupSteps = 2, EvalEvery = 8, ValidationUsers = 30, Beam = 20 },
        };
        Checkpoint = world.Train(config, Path.Combine(Root, "run"));
        Service = Open();
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mender-server-" + Guid.NewGuid().ToString("N")[..12]);
    public string Checkpoint { get; }
    public Dataset Dataset { get; }

    /// <summary>The service every test server shares (servers given a service do not dispose it).</summary>
    public RecommendationService Service { get; }

    public RecommendationService Open() => RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = Checkpoint, Threads = 1 });

    public void Dispose()
    {
        Service.Dispose();
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

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<TrainedCheckpoint>
{
    public const string Name = "trained checkpoint";
}
