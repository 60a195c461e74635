namespace Mender.Recommender.Embeddings;

/// <summary>A float matrix in compressed sparse row form; column indices within a row are ascending.</summary>
internal sealed class SparseMatrix
{
    public SparseMatrix(int rows, int columns, int[] rowStarts, int[] columnIndices, float[] values)
    {
        if (rowStarts.Length != rows + 1 || rowStarts[rows] != columnIndices.Length || columnIndices.Length != values.Length)
            throw new ArgumentException("inconsistent sparse matrix arrays");
        Rows = rows;
        Columns = columns;
        RowStarts = rowStarts;
        ColumnIndices = columnIndices;
        Values = values;
    }

    public int Rows { get; }
    public int Columns { get; }
    public int[] RowStarts { get; }
    public int[] ColumnIndices { get; }
    public float[] Values { get; }
    public int NonZeros => Values.Length;

    public ReadOnlySpan<int> RowColumns(int row) => ColumnIndices.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);

    public static SparseMatrix FromRows(int columns, IReadOnlyList<(int[] Columns, float[] Values)> rows)
    {
        var starts = new int[rows.Count + 1];
        for (var r = 0; r < rows.Count; r++) starts[r + 1] = starts[r] + rows[r].Columns.Length;
        var indices = new int[starts[^1]];
        var values = new float[starts[^1]];
        for (var r = 0; r < rows.Count; r++)
        {
            rows[r].Columns.CopyTo(indices, starts[r]);
            rows[r].Values.CopyTo(values, starts[r]);
        }
        return new SparseMatrix(rows.Count, columns, starts, indices, values);
    }

    /// <summary>The transpose, again in row form (i.e. this matrix by columns); rows stay in ascending order within each column.</summary>
    public SparseMatrix Transpose()
    {
        var starts = new int[Columns + 1];
        foreach (var c in ColumnIndices) starts[c + 1]++;
        for (var c = 0; c < Columns; c++) starts[c + 1] += starts[c];
        var next = starts[..^1].ToArray();
        var indices = new int[NonZeros];
        var values = new float[NonZeros];
        for (var r = 0; r < Rows; r++)
            for (var k = RowStarts[r]; k < RowStarts[r + 1]; k++)
            {
                var slot = next[ColumnIndices[k]]++;
                indices[slot] = r;
                values[slot] = Values[k];
            }
        return new SparseMatrix(Columns, Rows, starts, indices, values);
    }

    /// <summary>
    /// This matrix times a dense row-major matrix of <see cref="Columns"/> × <paramref name="width"/>; the result is
    /// row-major <see cref="Rows"/> × <paramref name="width"/>. Rows are computed independently, so the result does not
    /// depend on how the work is split across threads.
    /// </summary>
    public float[] MultiplyDense(float[] dense, int width)
    {
        if (dense.Length != (long)Columns * width) throw new ArgumentException("dense operand has the wrong shape");
        var result = new float[(long)Rows * width];
        Parallel.For(0, Rows, r =>
        {
            var target = result.AsSpan(r * width, width);
            for (var k = RowStarts[r]; k < RowStarts[r + 1]; k++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(
                    dense.AsSpan(ColumnIndices[k] * width, width), Values[k], target, target);
        });
        return result;
    }
}
