using Mender.Numerics.Kernels;
using Mender.Recommender.Model;

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
        var (threads, backend) = (Compute.Threads, Compute.Gemm);
        try
        {
            Compute.Gemm = GemmBackend.Managed;
            var weights = new List<float[]>();
            foreach (var count in new[] { 1, 2 })
            {
                Compute.Threads = count;
                var directory = Path.Combine(root, $"threads-{count}");
                new MenderTrainer(world.Split, world.Sids, config, world.Preferences).Train(directory, new MenderCheckpointInfo());
                var (model, _) = MenderCheckpoint.Load(directory);
                weights.Add(model.Parameters().SelectMany(p => p.ToArray()).ToArray());
            }
            Assert.Equal(weights[0], weights[1]);
        }
        finally
        {
            Compute.Threads = threads;
            Compute.Gemm = backend;
        }
    }
}
