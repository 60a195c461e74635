using Mender.Benchmark.Runs;
using Mender.Cluster.Jobs;
using Mender.Data;
using Mender.Recommender.Evaluation;

namespace Mender.Cluster.Evaluation;

/// <summary>
/// This silo's opened evaluation target, kept for the next slice of the same evaluation. Slices on one silo run one
/// at a time: the model reuses its buffers, and two slices at once would only share the same cores.
/// </summary>
public sealed class EvaluationTargets : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private (EvaluationRequest Request, EvaluationTarget Target)? opened;

    /// <summary>The lists of cases <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 of the request's evaluation.</summary>
    public async Task<int[][]> RecommendAsync(EvaluationRequest request, int start, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (start % EvaluationTarget.BatchSize != 0) throw new ArgumentException($"a slice starts at a multiple of {EvaluationTarget.BatchSize}, not at {start}", nameof(start));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (opened is not { } current || current.Request != request)
            {
                opened = null;
                var data = DatasetLoader.Load(request.DatasetPath);
                DatasetFingerprint.Check(request.Fingerprint, data, request.DatasetPath, "this silo");
                opened = (request, await EvaluationTarget.OpenAsync(data, request.Checkpoint, request.Baseline, request.Test, request.Beam, request.Limit, null,
                    cancellationToken).ConfigureAwait(false));
            }
            var target = opened.Value.Target;
            if (start + count > target.Cases.Count) throw new ArgumentException($"cases {start}..{start + count - 1} of {target.Cases.Count}", nameof(count));
            return LeaveOneOutEvaluator.Recommend(target.Recommender, target.Cases.Skip(start).Take(count).ToList(), EvaluationTarget.BatchSize, null, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Releases the gate.</summary>
    public void Dispose() => gate.Dispose();
}
