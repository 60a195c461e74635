namespace Mender.Recommender.Model;

/// <summary>
/// Token ids of the SID codes: PAD (0), BOS (1), then each SID position's codes in their own range, so the same code at
/// two positions is two tokens. An item is its <see cref="Length"/> tokens.
/// </summary>
public sealed class SidVocabulary
{
    /// <summary>The padding token.</summary>
    public const int Pad = 0;
    /// <summary>The token that starts every decoded SID.</summary>
    public const int Bos = 1;
    private const int Specials = 2;

    private readonly int[] offsets;
    private readonly int[] sizes;

    /// <summary>A vocabulary with one range of tokens per SID position, after the special tokens.</summary>
    public SidVocabulary(IReadOnlyList<int> codebookSizes)
    {
        sizes = codebookSizes.ToArray();
        offsets = new int[sizes.Length];
        var next = Specials;
        for (var level = 0; level < sizes.Length; level++)
        {
            offsets[level] = next;
            next += sizes[level];
        }
        Size = next;
    }

    /// <summary>Codes per SID.</summary>
    public int Length => sizes.Length;

    /// <summary>Number of tokens (specials included).</summary>
    public int Size { get; }

    /// <summary>The number of values the SID position may take.</summary>
    public int CodebookSize(int level) => sizes[level];

    /// <summary>The first token of a position's range.</summary>
    public int Offset(int level) => offsets[level];

    /// <summary>The token of a code at a SID position.</summary>
    public int Token(int level, int code) => offsets[level] + code;
}
