namespace Mender.Cluster.Evaluation;

/// <summary>The top-10 lists of one slice of the cases, from <paramref name="Start"/> on, and the silo that made them.</summary>
/// <param name="Start">The index of the slice's first case.</param>
/// <param name="Lists">Each case's list of dense item ids, best first.</param>
/// <param name="Silo">The silo that evaluated the slice.</param>
[GenerateSerializer, Immutable]
public sealed record EvaluationShard([property: Id(0)] int Start, [property: Id(1)] int[][] Lists, [property: Id(2)] string Silo);
