using Mender.Numerics.Checkpoints;
using Mender.Recommender.Baselines;
using Mender.Recommender.Model;

namespace Mender.Benchmark.Results;

/// <summary>The seed a run directory's model was trained with, which tells repeated runs of one recipe apart.</summary>
public static class TrainingSeed
{
    public static ulong Of(string directory) => RunDirectory.MethodOf(directory) == RunDirectory.SasRec
        ? Checkpoint.LoadConfig<SasRecCheckpointInfo>(directory).Model.Seed
        : Checkpoint.LoadConfig<MenderCheckpointInfo>(directory).Training.Seed;
}
