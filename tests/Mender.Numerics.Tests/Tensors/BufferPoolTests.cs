using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Tensors;

public class BufferPoolTests
{
    [Fact]
    public void ReusesAReturnedBufferOfTheSameLength()
    {
        const int length = 7_919;
        var first = BufferPool.Rent(length);
        BufferPool.Return(first);
        Assert.Same(first, BufferPool.Rent(length));
    }

    [Fact]
    public void KeepsNoIdleBufferPastItsCap()
    {
        const int length = 7_927;
        var cap = BufferPool.MaxIdleBytes;
        try
        {
            BufferPool.MaxIdleBytes = 0;
            var first = BufferPool.Rent(length);
            BufferPool.Return(first);
            Assert.NotSame(first, BufferPool.Rent(length));
        }
        finally
        {
            BufferPool.MaxIdleBytes = cap;
        }
    }
}
