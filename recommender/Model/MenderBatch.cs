using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Model;

/// <summary>
/// The integer inputs of a batch of histories: per row, an optional preference slot, then the history items left-aligned
/// (each as its SID tokens and a recency position, the most recent item being 0), then padding.
/// </summary>
public sealed class MenderBatch
{
    /// <summary>Tokenises histories into the model's input tensors, newest items kept and padded to the same length.</summary>
    public MenderBatch(SidTable sids, SidVocabulary vocabulary, IReadOnlyList<int[]> histories, int maxHistory, int preferenceSlots)
    {
        Rows = histories.Count;
        var longest = 1;
        foreach (var h in histories) longest = Math.Max(longest, Math.Min(h.Length, maxHistory));
        Items = longest;
        var length = vocabulary.Length;
        ItemTokens = new int[Rows * Items * length];
        ItemIds = new int[Rows * Items];
        Positions = new int[Rows * Items];
        KeyLengths = new int[Rows];
        for (var r = 0; r < Rows; r++)
        {
            var history = histories[r];
            var n = Math.Min(history.Length, maxHistory);
            var start = history.Length - n;
            for (var j = 0; j < n; j++)
            {
                var sid = sids[history[start + j]];
                var at = (r * Items + j) * length;
                for (var level = 0; level < length; level++) ItemTokens[at + level] = vocabulary.Token(level, sid[level]);
                Positions[r * Items + j] = n - 1 - j;
                ItemIds[r * Items + j] = history[start + j];
            }
            KeyLengths[r] = preferenceSlots + n;
        }
    }

    /// <summary>The number of histories in the batch.</summary>
    public int Rows { get; }

    /// <summary>History slots per row (the longest capped history in the batch).</summary>
    public int Items { get; }

    /// <summary>[Rows, Items, SID length] token ids; PAD where a row has fewer items.</summary>
    public int[] ItemTokens { get; }

    /// <summary>[Rows, Items] item ids (0 for padding, which the mask hides).</summary>
    public int[] ItemIds { get; }

    /// <summary>[Rows, Items] recency positions (0 for padding).</summary>
    public int[] Positions { get; }

    /// <summary>Valid encoder keys per row: the preference slots plus the row's items.</summary>
    public int[] KeyLengths { get; }
}
