namespace Mender.Numerics.Kernels;

/// <summary>Splits element ranges of large tensors across threads; small ones run inline.</summary>
internal static class ParallelRange
{
    /// <summary>Elements per chunk: large enough to amortise scheduling, small enough to balance two threads.</summary>
    public const int Grain = 1 << 16;

    public static void For(int length, Action<int, int> body)
    {
        if (length <= Grain) body(0, length);
        else Compute.ForRange(length, Grain, body);
    }

    /// <summary>Runs body(rowStart, rowEnd) over rows, choosing a row grain so that each chunk has about Grain elements.</summary>
    public static void ForRows(int rows, int rowLength, Action<int, int> body)
    {
        var grain = Math.Max(1, Grain / Math.Max(1, rowLength));
        if (rows <= grain) body(0, rows);
        else Compute.ForRange(rows, grain, body);
    }
}
