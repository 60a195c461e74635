using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Operations;

/// <summary>Matrix products in every transpose combination, shared and batched, and the fused linear layer.</summary>
public sealed class MatMulGradientTests
{
    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void PlainProductMatchesReference(bool ta, bool tb) =>
        Run([In(ta ? [4, 3] : [3, 4]), In(tb ? [5, 4] : [4, 5])], t => Ops.MatMul(t[0], t[1], ta, tb), r => Ref.MatMul(r[0], r[1], ta, tb));

    [Theory]
    [MemberData(nameof(Transposes))]
    public void BatchedProductWithSharedRightMatrixMatchesReference(bool ta, bool tb) =>
        Run([In(ta ? [2, 3, 4, 3] : [2, 3, 3, 4]), In(tb ? [5, 4] : [4, 5])], t => Ops.MatMul(t[0], t[1], ta, tb),
            r => Ref.MatMul(r[0], r[1], ta, tb));

    [Theory]
    [MemberData(nameof(Transposes))]
    public void BatchedProductWithBatchedRightMatrixMatchesReference(bool ta, bool tb) =>
        Run([In(ta ? [3, 4, 3] : [3, 3, 4]), In(tb ? [3, 5, 4] : [3, 4, 5])], t => Ops.MatMul(t[0], t[1], ta, tb),
            r => Ref.MatMul(r[0], r[1], ta, tb));

    [Fact]
    public void MismatchedInnerDimensionsAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.MatMul(new Tensor(2, 3), new Tensor(4, 5)));
        Assert.Contains("inner dimensions", ex.Message);
    }

    public static TheoryData<Activation, float> LinearVariants() => new()
    {
        { Activation.None, 0f }, { Activation.Relu, 0f }, { Activation.Gelu, 0f }, { Activation.Silu, 0f },
        { Activation.None, 0.3f }, { Activation.Relu, 0.3f }, { Activation.Gelu, 0.3f }, { Activation.Silu, 0.3f },
    };

    [Theory]
    [MemberData(nameof(LinearVariants))]
    public void FusedLinearMatchesReference(Activation activation, float dropout)
    {
        var key = new Rng(77).NextUInt64();
        Run([In(2, 3, 5), In(7, 5), In(7)],
            t => Ops.Linear(t[0], t[1], t[2], activation, dropout, dropout > 0 ? new Rng(77) : null),
            r => Ref.Linear(r[0], r[1], r[2], activation, dropout, key));
    }

    [Fact]
    public void LinearWithoutBiasMatchesReference() =>
        Run([In(4, 5), In(3, 5)], t => Ops.Linear(t[0], t[1], null), r => Ref.Linear(r[0], r[1], null));
}
