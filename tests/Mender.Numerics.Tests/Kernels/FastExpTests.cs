using System.Runtime.Intrinsics;
using Mender.Numerics.Kernels;

namespace Mender.Numerics.Tests.Kernels;

/// <summary>The polynomial exp used by softmax against Math.Exp, on both vector widths.</summary>
public sealed class FastExpTests
{
    [Fact]
    public void MatchesExpToFloatPrecisionOverTheUsefulRange()
    {
        for (var x = -87f; x <= 88f; x += 0.0137f)
        {
            var expected = Math.Exp(x);
            var wide = FastExp.Exp(Vector512.Create(x))[3];
            var narrow = FastExp.Exp(Vector256.Create(x))[5];
            Assert.True(Math.Abs(wide - expected) <= 3e-7 * expected, $"exp({x}) = {wide}, expected {expected}");
            Assert.True(Math.Abs(narrow - expected) <= 3e-7 * expected, $"exp({x}) = {narrow}, expected {expected}");
        }
    }

    [Fact]
    public void UnderflowsToExactlyZeroIncludingMinusInfinity()
    {
        Assert.Equal(0f, FastExp.Exp(Vector512.Create(float.NegativeInfinity))[0]);
        Assert.Equal(0f, FastExp.Exp(Vector512.Create(-200f))[0]);
        Assert.Equal(0f, FastExp.Exp(Vector256.Create(float.NegativeInfinity))[0]);
        Assert.Equal(1f, FastExp.Exp(Vector512.Create(0f))[0]);
    }
}
