using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Tensors;

/// <summary>Tensor construction, indexing, views and the errors for impossible shapes.</summary>
public sealed class TensorTests
{
    [Fact]
    public void ValuesAreRowMajorAndIndexable()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(6f, t[1, 2]);
        Assert.Equal(3, t.Dim(-1));
        Assert.Equal(2, t.Rank);
        t[0, 1] = 9;
        Assert.Equal([1f, 9f, 3f, 4f, 5f, 6f], t.ToArray());
        Assert.Throws<IndexOutOfRangeException>(() => t[2, 0]);
        Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f], 3));
    }

    [Fact]
    public void RowViewsAndReshapesShareTheBuffer()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2);
        var middle = t.Rows(1, 1);
        middle[0, 1] = 40;
        Assert.Equal(40f, t[1, 1]);
        var flat = t.Reshape(-1);
        Assert.Equal([6], flat.Shape.ToArray());
        flat[0] = 10;
        Assert.Equal(10f, t[0, 0]);
        Assert.Throws<ArgumentException>(() => t.Reshape(4, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Rows(2, 2));
    }

    [Fact]
    public void CloneIsDetachedAndSeededFactoriesRepeat()
    {
        var x = Tensor.Normal(new Rng(5), 0, 1, 4);
        var y = Tensor.Normal(new Rng(5), 0, 1, 4);
        Assert.Equal(x.ToArray(), y.ToArray());
        x.RequiresGrad = true;
        var copy = x.Clone();
        Assert.False(copy.RequiresGrad);
        copy[0] = 100;
        Assert.NotEqual(100f, x[0]);
        Assert.Throws<InvalidOperationException>(() => x.Item());
        Assert.Equal(3f, Tensor.Scalar(3f).Item());
    }

    [Fact]
    public void BroadcastingRejectsIncompatibleShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.Add(new Tensor(2, 3), new Tensor(4)));
        Assert.Contains("do not broadcast", ex.Message);
    }
}
