using Mender.Data.Runs;
using Mender.Recommender.Baselines;
using Mender.Recommender.Model;

namespace Mender.Benchmark.Results;

/// <summary>The seed a run directory's model was trained with, which tells repeated runs of one recipe apart.</summary>
public static class TrainingSeed
{
    /// <summary>The training seed recorded in the run directory's config, for a SASRec or a Mender run.</summary>
    public static ulong Of(string directory)
    {
        var run = RunDirectory.Open(directory);
        return run.Method == RunDirectory.SasRec ? run.ReadConfig<SasRecCheckpointInfo>().Model.Seed : run.ReadConfig<MenderCheckpointInfo>().Training.Seed;
    }
}
