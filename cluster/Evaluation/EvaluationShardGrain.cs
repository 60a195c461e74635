using Mender.Cluster.Silo;
using Orleans.Placement;

namespace Mender.Cluster.Evaluation;

/// <summary>
/// Evaluates its slice on this silo's copy of the model. The work runs off Orleans' scheduler, since a slice takes
/// minutes of CPU, and a slice starts at a multiple of the batch size, so its lists are those of a single-process run.
/// </summary>
[ActivationCountBasedPlacement]
internal sealed class EvaluationShardGrain(EvaluationTargets targets, SiloIdentity identity) : Grain, IEvaluationShardGrain
{
    public async Task<EvaluationShard> EvaluateAsync(EvaluationRequest request, int start, int count)
    {
        var lists = await Task.Run(() => targets.RecommendAsync(request, start, count, CancellationToken.None));
        return new EvaluationShard(start, lists, identity.Name);
    }
}
