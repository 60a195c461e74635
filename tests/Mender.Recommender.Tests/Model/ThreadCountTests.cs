using Mender.Data;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Kernels;
using Mender.Recommender.Baselines;
using Mender.Recommender.Model;
using Mender.Recommender.Tests.Baselines;

namespace Mender.Recommender.Tests.Model;

/// <summary>Tests that change process-wide compute settings run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ComputeSettingsCollection
{
    public const string Name = "compute settings";
}

[Collection(ComputeSettingsCollection.Name)]
public sealed class ThreadCountTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"mender-threads-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void MenderModeWithDropoutTrainsToTheSameWeightsOnOneThreadAsOnTwo()
    {
        var world = new SyntheticWorld(users: 120, length: 6, seed: 4);
        var config = SyntheticWorld.TinyConfig(MenderMode.Mender, maxSteps: 6, dropout: 0.1f);
        // Three shards a step, so the two threads really do run shards at once.
        config = config with { Training = config.Training with { BatchSize = 150 } };
        var weights = OnOneThreadAndTwo(directory =>
        {
            new MenderTrainer(world.Split, world.Sids, config, world.Preferences).Train(directory, new MenderCheckpointInfo());
            return MenderCheckpoint.Load(directory).Model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        });
        Assert.Equal(weights[0], weights[1]);
    }

    [Fact]
    public void SasRecWithDropoutTrainsToTheSameWeightsOnOneThreadAsOnTwo()
    {
        // Two shards a step, of histories of uneven length.
        var data = SasRecTests.Walks(users: 200, items: 25, length: 9, seed: 7, shortest: 4);
        var split = LeaveOneOutSplit.Create(data, 12);
        var config = new SasRecConfig { Hidden = 16, Blocks = 1, Heads = 1, Dropout = 0.3f, MaxLength = 8, BatchSize = 100, MaxEpochs = 3 };
        var weights = OnOneThreadAndTwo(directory =>
        {
            new SasRecTrainer(split, config).Train(directory);
            return SafeTensors.Load(Path.Combine(directory, Checkpoint.WeightsFile)).Tensors.OrderBy(t => t.Key).SelectMany(t => t.Value.ToArray()).ToArray();
        });
        Assert.Equal(weights[0], weights[1]);
    }

    /// <summary>The weights <paramref name="train"/> leaves in a fresh directory, on one compute thread and then on two.</summary>
    private List<float[]> OnOneThreadAndTwo(Func<string, float[]> train)
    {
        var (threads, backend) = (Compute.Threads, Compute.Gemm);
        try
        {
            Compute.Gemm = GemmBackend.Managed;
            var weights = new List<float[]>();
            foreach (var count in new[] { 1, 2 })
            {
                Compute.Threads = count;
                weights.Add(train(Path.Combine(root, $"threads-{count}")));
            }
            return weights;
        }
        finally
        {
            Compute.Threads = threads;
            Compute.Gemm = backend;
        }
    }
}
