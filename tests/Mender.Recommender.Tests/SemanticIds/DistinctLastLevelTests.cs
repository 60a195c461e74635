using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public class DistinctLastLevelTests
{
    // A one-dimensional last level with codewords at 0, 1, 2, 3.
    private static readonly float[] Codebook = [0, 1, 2, 3];

    [Fact]
    public void ItemsSharingAPrefixGetDistinctNearestFreeCodes()
    {
        // Items 0-2 share prefix 7 and all sit near codeword 1; item 3 has prefix 8 and is alone.
        int[] codes = [7, 1, 7, 1, 7, 1, 8, 1];
        float[] residual = [1.0f, 1.2f, 0.7f, 1.1f];
        DistinctLastLevel.Assign(codes, 4, 2, residual, 1, Codebook);
        // The closest item keeps codeword 1; the next closest then takes its nearest free one, and so on.
        Assert.Equal(1, codes[1]);
        Assert.Equal(2, codes[3]);
        Assert.Equal(0, codes[5]);
        Assert.Equal(1, codes[7]);
    }

    [Fact]
    public void WithoutConflictsEveryItemKeepsItsNearestCodeword()
    {
        int[] codes = [0, 9, 0, 9, 1, 9];
        float[] residual = [0.1f, 2.9f, 2.2f];
        DistinctLastLevel.Assign(codes, 3, 2, residual, 1, Codebook);
        Assert.Equal([0, 0, 0, 3, 1, 2], codes);
    }

    [Fact]
    public void GroupsLargerThanTheCodebookFallBackToNearest()
    {
        var codes = new int[6 * 2];
        var residual = new float[] { 0, 0, 0, 0, 0, 0 };
        DistinctLastLevel.Assign(codes, 6, 2, residual, 1, Codebook);
        var last = Enumerable.Range(0, 6).Select(i => codes[i * 2 + 1]).ToArray();
        Assert.Equal([0, 1, 2, 3], last.Take(4).Order().ToArray());
        Assert.Equal([0, 0], last.Skip(4).ToArray());
    }
}
