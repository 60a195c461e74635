using Mender.Numerics.Autograd;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Operations;

/// <summary>Embedding lookup, gather, reshaping ops, distances, dropout and gradient control against float64.</summary>
public sealed class IndexingGradientTests
{
    [Fact]
    public void EmbeddingWithRepeatedIdsMatchesReference()
    {
        int[] ids = [3, 1, 3, 0, 3, 2];
        Run([In(5, 4)], t => Ops.Embedding(t[0], ids, 2, 3), r => Ref.IndexSelect(r[0], ids).Reshape(2, 3, 4));
    }

    [Fact]
    public void EmbeddingGradientTouchesOnlyUsedRows()
    {
        var table = Tensor.Normal(new Rng(1), 0, 1, 300, 3);
        table.RequiresGrad = true;
        using (var tape = Tape.Record())
            tape.Backward(Ops.Sum(Ops.Embedding(table, [7, 250, 7])));
        var g = table.Grad!;
        for (var r = 0; r < 300; r++)
            for (var c = 0; c < 3; c++)
                Assert.Equal(r == 7 ? 2f : r == 250 ? 1f : 0f, g[r, c]);
    }

    [Fact]
    public void EmbeddingRejectsIdsOutsideTheTable()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Embedding(new Tensor(4, 2), [1, 4]));
        Assert.Contains("index 4 at position 1", ex.Message);
    }

    [Fact]
    public void GatherMatchesReference()
    {
        int[] ids = [0, 2, 1, 1, 3, 0];
        Run([In(3, 4)], t => Ops.Gather(t[0], ids, perRow: 2), r => Ref.Gather(r[0], ids, 2));
    }

    [Fact]
    public void ReshapeTransposeConcatAndSliceMatchReference()
    {
        Run([In(2, 3, 4)], t => Ops.Reshape(t[0], 6, -1), r => r[0].Reshape(6, 4));
        Run([In(2, 3, 4)], t => Ops.Transpose(t[0], 0, 2), r => Ref.Transpose(r[0], 0, 2));
        Run([In(2, 3, 4)], t => Ops.Transpose(t[0]), r => Ref.Transpose(r[0], 1, 2));
        Run([In(2, 3), In(2, 1), In(2, 2)], t => Ops.Concat(t, 1), r => Ref.Concat(r, 1));
        Run([In(1, 3), In(2, 3)], t => Ops.Concat(t, 0), r => Ref.Concat(r, 0));
        Run([In(2, 5, 3)], t => Ops.Slice(t[0], 1, 1, 3), r => Ref.Slice(r[0], 1, 1, 3));
    }

    [Fact]
    public void PairwiseSquaredDistanceMatchesReference() =>
        Run([In(5, 3), In(4, 3)], t => Ops.PairwiseSquaredDistance(t[0], t[1]), r => Ref.PairwiseSquaredDistance(r[0], r[1]));

    [Fact]
    public void ArgminOfDistancesFindsTheNearestCode()
    {
        var codes = Tensor.FromArray([0, 0, 10, 10, -5, 2], 3, 2);
        var x = Tensor.FromArray([9, 8, -4, 1, 0.5f, -0.5f], 3, 2);
        Assert.Equal([1, 2, 0], Ops.ArgMin(Ops.PairwiseSquaredDistance(x, codes)));
    }

    [Fact]
    public void MeanSquaredErrorMatchesReference() =>
        Run([In(3, 4), In(3, 4)], t => Ops.MeanSquaredError(t[0], t[1]), r => Ref.MeanSquaredError(r[0], r[1]));

    [Fact]
    public void DropoutMatchesReferenceAndKeepsTheExpectedShare()
    {
        var key = new Rng(3).NextUInt64();
        Run([In(4, 33)], t => Ops.Dropout(t[0], 0.4f, new Rng(3)), r => Ref.Dropout(r[0], 0.4, key));
        var ones = Tensor.Full(1f, 100_000);
        var kept = Ops.Dropout(ones, 0.1f, new Rng(8)).ToArray().Count(v => v != 0);
        Assert.InRange(kept, 89_000, 91_000);
    }

    [Fact]
    public void DropoutInEvalOrWithZeroProbabilityIsTheIdentity()
    {
        var x = Tensor.Full(2f, 3);
        Assert.Same(x, Ops.Dropout(x, 0.5f, new Rng(1), training: false));
        Assert.Same(x, Ops.Dropout(x, 0f, new Rng(1)));
    }

    [Fact]
    public void DropoutKeepDropsTheSlotsDropoutZeroesAtTheSameRate()
    {
        var keep = Ops.DropoutKeep(50_000, 0.3f, new Rng(5));
        var mask = Ops.Dropout(Tensor.Full(1f, 50_000), 0.3f, new Rng(5)).ToArray();
        Assert.Equal(mask.Select(v => v != 0), keep);
        Assert.InRange(keep.Count(k => !k), 14_000, 16_000);
        Assert.All(Ops.DropoutKeep(10, 0f, new Rng(5)), Assert.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.DropoutKeep(10, 1f, new Rng(5)));
    }

    [Fact]
    public void AddDropoutMatchesAddOfDropout()
    {
        var key = new Rng(6).NextUInt64();
        Run([In(3, 40), In(3, 40)], t => Ops.AddDropout(t[0], t[1], 0.3f, new Rng(6)), r => Ref.Add(r[0], Ref.Dropout(r[1], 0.3, key)));
    }

    [Fact]
    public void StopGradientBlocksAndStraightThroughPassesTheGradient()
    {
        // y = sg(x)·a + ste(x, q): gradient reaches a through the first term and x through the estimator only.
        var q = new[] { 5f, -1f, 2f };
        Run([In(3), In(3)],
            t => Ops.StopGradient(t[0]) * t[1] + Ops.StraightThrough(t[0], Tensor.FromArray(q, 3)),
            r => Ref.Add(Ref.Mul(new R(r[0].V.ToArray(), 3), r[1]), Ref.Add(Ref.Sub(r[0], new R(r[0].V.ToArray(), 3)), R.From(q, 3))),
            checkGrad: [false, true]);
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        x.RequiresGrad = true;
        using var tape = Tape.Record();
        var y = Ops.StraightThrough(x, Tensor.FromArray(q, 3));
        Assert.Equal(q, y.ToArray());
        tape.Backward(Ops.Sum(y * Tensor.FromArray([1f, 2f, 3f], 3)));
        Assert.Equal([1f, 2f, 3f], x.Grad!.ToArray());
        var blocked = Tensor.FromArray([1f], 1);
        blocked.RequiresGrad = true;
        Assert.False(Ops.StopGradient(blocked).RequiresGrad);
    }
}
