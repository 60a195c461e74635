namespace Mender.Cluster.Evaluation;

/// <summary>
/// What a cluster evaluation scores, as every silo opens it (see <c>EvaluationTarget.OpenAsync</c>): the dataset at a path
/// every silo reads, with the submitter's fingerprint of it, and a checkpoint or the most-popular baseline.
/// </summary>
/// <param name="DatasetPath">The dataset, at a path every silo can read.</param>
/// <param name="Fingerprint">The submitter's <see cref="Jobs.DatasetFingerprint"/> of it.</param>
/// <param name="Checkpoint">The run directory scored; null for the baseline.</param>
/// <param name="Baseline">The baseline scored; null for a checkpoint.</param>
/// <param name="Test">The test split; false for the validation split.</param>
/// <param name="Beam">The beam width; null for the checkpoint's own.</param>
/// <param name="Limit">At most this many cases, evenly spaced; 0 for all.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationRequest(
    [property: Id(0)] string DatasetPath,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string? Checkpoint,
    [property: Id(3)] string? Baseline,
    [property: Id(4)] bool Test,
    [property: Id(5)] int? Beam,
    [property: Id(6)] int Limit);
