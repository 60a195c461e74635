namespace Mender.Recommender.Inference;

/// <summary>
/// Finite weights can still overflow to NaN scores, and a ranking by NaN is arbitrary: recommenders report it with this
/// error instead of returning a list that looks like a result.
/// </summary>
internal static class NaNScores
{
    public static InvalidDataException Error() =>
        new("the model scores items as NaN: its weights overflow (damaged checkpoint or diverged training)");
}
