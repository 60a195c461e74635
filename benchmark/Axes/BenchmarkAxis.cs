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

/// <summary>The axes' names and titles, and the parsing of a name back into its axis.</summary>
public static class BenchmarkAxes
{
    /// <summary>Every axis, in the order of the enum (the order of reports).</summary>
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

    /// <summary>The axis' heading in reports, e.g. "Fine-grained steering".</summary>
    public static string Title(this BenchmarkAxis axis) => axis switch
    {
        BenchmarkAxis.Preference => "Preference-based recommendation",
        BenchmarkAxis.FineSteering => "Fine-grained steering",
        BenchmarkAxis.CoarseSteering => "Coarse-grained steering",
        BenchmarkAxis.Sentiment => "Sentiment following",
        _ => "History consolidation",
    };

    /// <summary>The axis' JSONL file in the benchmark's axes folder, e.g. "fine_steering.jsonl".</summary>
    public static string FileName(this BenchmarkAxis axis) => axis.Name() + ".jsonl";

    /// <summary>The axis with the given file name (see <see cref="Name"/>); an unknown name is an <see cref="InvalidDataException"/>.</summary>
    /// <param name="name">The axis' name, e.g. "sentiment".</param>
    /// <param name="where">Where the name was read (a file and line), for the error message.</param>
    public static BenchmarkAxis Parse(string name, string where)
    {
        foreach (var axis in All)
            if (axis.Name() == name) return axis;
        throw new InvalidDataException($"{where}: unknown benchmark axis '{name}'");
    }
}
