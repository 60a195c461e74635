using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Operations;

/// <summary>The fused attention (separate, packed self and packed cross inputs; masks; dropout) against float64.</summary>
public sealed class AttentionGradientTests
{
    public static TheoryData<string> Masks() => ["none", "causal", "lengths", "padding", "causal+lengths"];

    private static AttentionMask MaskFor(string name, int batch, int tk) => name switch
    {
        "causal" => AttentionMask.CausalOnly,
        "lengths" => new AttentionMask(KeyLengths: [tk, 2]),
        "padding" => new AttentionMask(KeyPadding: Enumerable.Range(0, batch * tk).Select(i => i % 3 == 1).ToArray()),
        "causal+lengths" => new AttentionMask(Causal: true, KeyLengths: [3, tk]),
        _ => AttentionMask.None,
    };

    [Theory]
    [MemberData(nameof(Masks))]
    public void SeparateInputsWithDifferentValueWidthMatchReference(string maskName)
    {
        // 2 heads, key width 3 per head, value width 4 per head, Tq 3, Tk 5.
        var mask = MaskFor(maskName, 2, 5);
        var scale = 1 / Math.Sqrt(3);
        Run([In(2, 3, 6), In(2, 5, 6), In(2, 5, 8)], t => Ops.Attention(t[0], t[1], t[2], 2, mask),
            r => Ref.Attention(r[0], r[1], r[2], 2, mask, scale));
    }

    [Theory]
    [MemberData(nameof(Masks))]
    public void PackedSelfAttentionMatchesReference(string maskName)
    {
        var mask = MaskFor(maskName, 2, 4);
        Run([In(2, 4, 3 * 6)], t => Ops.SelfAttention(t[0], 3, mask),
            r => Ref.Attention(Ref.Columns(r[0], 0, 6), Ref.Columns(r[0], 6, 6), Ref.Columns(r[0], 12, 6), 3, mask, 1 / Math.Sqrt(2)));
    }

    [Fact]
    public void PackedCrossAttentionMatchesReference()
    {
        var mask = new AttentionMask(KeyLengths: [5, 3]);
        Run([In(2, 2, 8), In(2, 5, 16)], t => Ops.CrossAttention(t[0], t[1], 2, mask),
            r => Ref.Attention(r[0], Ref.Columns(r[1], 0, 8), Ref.Columns(r[1], 8, 8), 2, mask, 0.5));
    }

    public static TheoryData<string> FoldedMasks() => ["none", "lengths", "padding", "causal", "empty row"];

    [Theory]
    [MemberData(nameof(FoldedMasks))]
    public void FoldedCrossAttentionMatchesProjectingTheMemory(string maskName)
    {
        // q [2, 3, 2·4], memory [2, 5, 6], kv projection [16, 6] with bias.
        var mask = maskName switch
        {
            "lengths" => new AttentionMask(KeyLengths: [5, 2]),
            "padding" => new AttentionMask(KeyPadding: [false, true, false, false, true, true, false, true, true, false]),
            "causal" => AttentionMask.CausalOnly,
            "empty row" => new AttentionMask(KeyLengths: [0, 3]),
            _ => AttentionMask.None,
        };
        Run([In(2, 3, 8), In(2, 5, 6), In(16, 6), In(16)], t => Ops.FoldedCrossAttention(t[0], t[1], t[2], t[3], 2, mask),
            r =>
            {
                var kv = Ref.Linear(r[1], r[2], r[3]);
                return Ref.Attention(r[0], Ref.Columns(kv, 0, 8), Ref.Columns(kv, 8, 8), 2, mask, 0.5);
            });
    }

    [Fact]
    public void FoldedCrossAttentionDropoutMatchesReference()
    {
        var key = new Rng(21).NextUInt64();
        Run([In(2, 2, 6), In(2, 4, 5), In(12, 5), In(12)],
            t => Ops.FoldedCrossAttention(t[0], t[1], t[2], t[3], 3, default, 0.3f, new Rng(21)),
            r =>
            {
                var kv = Ref.Linear(r[1], r[2], r[3]);
                return Ref.Attention(r[0], Ref.Columns(kv, 0, 6), Ref.Columns(kv, 6, 6), 3, default, 1 / Math.Sqrt(2), 0.3, key);
            });
    }

    [Fact]
    public void AttentionDropoutMatchesReference()
    {
        var key = new Rng(9).NextUInt64();
        Run([In(2, 4, 3 * 4)], t => Ops.SelfAttention(t[0], 2, AttentionMask.CausalOnly, 0.25f, new Rng(9)),
            r => Ref.Attention(Ref.Columns(r[0], 0, 4), Ref.Columns(r[0], 4, 4), Ref.Columns(r[0], 8, 4), 2,
                AttentionMask.CausalOnly, 1 / Math.Sqrt(2), 0.25, key));
    }

    [Fact]
    public void SameTensorAsQueryKeyAndValueGetsTheSummedGradient() =>
        Run([In(2, 3, 4)], t => Ops.Attention(t[0], t[0], t[0], 2), r => Ref.Attention(r[0], r[0], r[0], 2, default, 1 / Math.Sqrt(2)));

    [Fact]
    public void LongKeyRowsTakeTheVectorPathsAndMatchReference()
    {
        // 37 keys: full 16-wide vectors plus a scalar tail in the softmax forward and backward.
        var key = new Rng(13).NextUInt64();
        var mask = new AttentionMask(KeyLengths: [37, 29]);
        Run([In(2, 3, 8), In(2, 37, 8), In(2, 37, 8)], t => Ops.Attention(t[0], t[1], t[2], 2, mask, 0.2f, new Rng(13)),
            r => Ref.Attention(r[0], r[1], r[2], 2, mask, 0.5, 0.2, key));
    }

    [Fact]
    public void CustomScaleMatchesReference() =>
        Run([In(1, 3, 4), In(1, 3, 4), In(1, 3, 4)], t => Ops.Attention(t[0], t[1], t[2], 1, scale: 1f),
            r => Ref.Attention(r[0], r[1], r[2], 1, default, 1.0));

    [Fact]
    public void QueryThatSeesNoKeyGetsZeroOutput()
    {
        var q = Tensor.Normal(new Rng(1), 0, 1, 1, 2, 4);
        var y = Ops.Attention(q, q, q, 1, new AttentionMask(KeyLengths: [0]));
        Assert.All(y.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LargerHeadsThanTheModelWidthWork()
    {
        // Head width (8 × 2 heads = 16) independent of the 4-wide inputs' projection.
        Run([In(1, 3, 16), In(1, 3, 16), In(1, 3, 16)], t => Ops.Attention(t[0], t[1], t[2], 2),
            r => Ref.Attention(r[0], r[1], r[2], 2, default, 1 / Math.Sqrt(8)));
    }
}
