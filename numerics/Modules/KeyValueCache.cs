using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// The keys and values a self-attention has computed for the positions decoded so far, [rows, positions, inner] each,
/// so that an incremental step projects only the newest position (<see cref="MultiHeadAttention.Step"/>). Rows may
/// change between steps, as beam search forks and drops beams: each new row names the cached row it continues.
/// </summary>
public sealed class KeyValueCache
{
    /// <summary>Positions cached so far.</summary>
    public int Length { get; private set; }

    /// <summary>The cached keys; null before the first step.</summary>
    public Tensor? Keys { get; private set; }
    /// <summary>The cached values; null before the first step.</summary>
    public Tensor? Values { get; private set; }

    /// <summary>
    /// Appends the newest position, whose keys and values are columns [inner, 3·inner) of the packed projection
    /// qkv [rows, 1, 3·inner]. Row r continues cached row <paramref name="parents"/>[r]; empty parents keep every row
    /// where it was.
    /// </summary>
    internal void Append(Tensor qkv, ReadOnlySpan<int> parents)
    {
        var rows = qkv.Dim(0);
        if (qkv.Rank != 3 || qkv.Dim(1) != 1 || qkv.Dim(2) % 3 != 0)
            throw new ArgumentException($"a decoding step takes one packed qkv position per row, got {qkv.Describe()}");
        if (Length > 0 && parents.IsEmpty && Keys!.Dim(0) != rows)
            throw new ArgumentException($"{rows} rows continue {Keys.Dim(0)} cached rows: say which row each continues");
        if (!parents.IsEmpty && parents.Length != rows)
            throw new ArgumentException($"{parents.Length} parents for {rows} rows");
        var inner = qkv.Dim(2) / 3;
        Keys = Extend(Keys, parents, qkv, inner, inner);
        Values = Extend(Values, parents, qkv, 2 * inner, inner);
        Length++;
    }

    /// <summary>
    /// The cache one position longer [rows, Length + 1, inner]: each row's parent's cached positions followed by the newest
    /// position from columns [column, column + inner) of qkv. One copy per row, where a gather and then a concatenation
    /// would copy the cache twice.
    /// </summary>
    private Tensor Extend(Tensor? cache, ReadOnlySpan<int> parents, Tensor qkv, int column, int inner)
    {
        var rows = qkv.Dim(0);
        var next = Tensor.Create([rows, Length + 1, inner]);
        var target = next.Span;
        var fresh = qkv.Values;
        var width = qkv.Dim(-1);
        var kept = Length * inner;
        var old = Length == 0 ? default : cache!.Values;
        for (var r = 0; r < rows; r++)
        {
            var row = target.Slice(r * (kept + inner), kept + inner);
            if (Length > 0) old.Slice((parents.IsEmpty ? r : parents[r]) * kept, kept).CopyTo(row);
            fresh.Slice(r * width + column, inner).CopyTo(row[kept..]);
        }
        return next;
    }
}
