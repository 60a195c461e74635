using Mender.Numerics.Operations;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Operations;

/// <summary>
/// The two attention paths against float64: heads small enough for the direct per-head kernels (with head widths
/// that leave vector tails, and dropout), and a head too large for them, which gathers operands for GEMMs.
/// </summary>
public sealed class AttentionPathTests
{
    [Fact]
    public void DirectHeadsWithVectorTailsAndDropoutMatchReference()
    {
        // 2 heads, key width 20 (16 + 4) and value width 36 (2·16 + 4) per head; 21 keys pad to two 16-key vectors.
        var key = new Rng(31).NextUInt64();
        var mask = new AttentionMask(KeyLengths: [21, 17]);
        Run([In(2, 5, 40), In(2, 21, 40), In(2, 21, 72)], t => Ops.Attention(t[0], t[1], t[2], 2, mask, 0.2f, new Rng(31)),
            r => Ref.Attention(r[0], r[1], r[2], 2, mask, 1 / Math.Sqrt(20), 0.2, key));
    }

    [Fact]
    public void HeadsTooLargeForTheDirectPathMatchReference()
    {
        // One head of 40 × 40 positions and width 24 + 24: beyond the direct kernels' work limit.
        var key = new Rng(32).NextUInt64();
        var mask = new AttentionMask(KeyLengths: [40]);
        Run([In(1, 40, 24), In(1, 40, 24), In(1, 40, 24)], t => Ops.Attention(t[0], t[1], t[2], 1, mask, 0.1f, new Rng(32)),
            r => Ref.Attention(r[0], r[1], r[2], 1, mask, 1 / Math.Sqrt(24), 0.1, key));
    }
}
