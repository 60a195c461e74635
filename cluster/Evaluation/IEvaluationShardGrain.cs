namespace Mender.Cluster.Evaluation;

/// <summary>One slice of a cluster evaluation; Orleans places the slices on the silos with the fewest activations.</summary>
public interface IEvaluationShardGrain : IGrainWithStringKey
{
    /// <summary>The lists of cases <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1.</summary>
    Task<EvaluationShard> EvaluateAsync(EvaluationRequest request, int start, int count);
}
