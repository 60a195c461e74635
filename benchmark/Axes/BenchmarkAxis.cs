namespace Mender.Benchmark.Axes;

/// <summary>The five axes of the Mender benchmark, each stored as one JSONL file.</summary>
public enum BenchmarkAxis
{
    /// <summary>History plus the matched preference predicts the target.</summary>
    Preference,

    /// <summary>Another user's history with this user's preference; the other user's target is the most similar item.</summary>
    FineSteering,

    /// <summary>As <see cref="FineSteering"/>, but the other user's target is the least similar item.</summary>
    CoarseSteering,

    /// <summary>A negative preference must keep an item out of the top-k; its positive counterpart must bring it in.</summary>
    Sentiment,

    /// <summary>All preferences of the step at once instead of the matched one.</summary>
    Consolidation,
}

public static class BenchmarkAxes
{
    public static IReadOnlyList<BenchmarkAxis> All { get; } = Enum.GetValues<BenchmarkAxis>();

    /// <summary>The axis' name in files and reports, e.g. "fine_steering".</summary>
    public static string Name(this BenchmarkAxis axis) => axis switch
    {
        BenchmarkAxis.Preference => "preference",
        BenchmarkAxis.FineSteering => "fine_steering",
        BenchmarkAxis.CoarseSteering => "coarse_steering",
        BenchmarkAxis.Sentiment => "sentiment",
        _ => "consolidation",
    };

    public static string Title(this BenchmarkAxis axis) => axis switch
    {
        BenchmarkAxis.Preference => "Preference-based recommendation",
        BenchmarkAxis.FineSteering => "Fine-grained steering",
        BenchmarkAxis.CoarseSteering => "Coarse-grained steering",
        BenchmarkAxis.Sentiment => "Sentiment following",
        _ => "History consolidation",
    };

    public static string FileName(this BenchmarkAxis axis) => axis.Name() + ".jsonl";

    public static BenchmarkAxis Parse(string name, string where)
    {
        foreach (var axis in All)
            if (axis.Name() == name) return axis;
        throw new InvalidDataException($"{where}: unknown benchmark axis '{name}'");
    }
}
