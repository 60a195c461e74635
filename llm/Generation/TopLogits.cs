using LLama.Native;
using System.Numerics.Tensors;

namespace Mender.Llm.Generation;

/// <summary>
/// The tokens of the k largest logits, found by selection rather than by sorting the vocabulary, so that a grammar can
/// be applied to a few likely tokens before it is applied to all of them.
/// </summary>
internal static class TopLogits
{
    /// <summary>
    /// Writes the k tokens with the largest logits to the start of <paramref name="into"/> (in no particular order;
    /// among equal logits at the boundary the lower ids) and returns k. <paramref name="scratch"/> holds a copy of the logits.
    /// </summary>
    public static int Select(ReadOnlySpan<float> logits, int k, float[] scratch, LLamaTokenData[] into)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, logits.Length);
        if (k == 1)
        {
            var best = TensorPrimitives.IndexOfMax(logits);
            into[0] = new LLamaTokenData(best, logits[best], 0f);
            return 1;
        }
        var values = scratch.AsSpan(0, logits.Length);
        logits.CopyTo(values);
        var threshold = KthLargest(values, k);
        var count = 0;
        for (var i = 0; i < logits.Length; i++)
            if (logits[i] > threshold) into[count++] = new LLamaTokenData(i, logits[i], 0f);
        for (var i = 0; i < logits.Length && count < k; i++)
            if (logits[i] == threshold) into[count++] = new LLamaTokenData(i, logits[i], 0f);
        return count;
    }

    /// <summary>Quickselect (Hoare partition, descending): the value that would sit at position k-1 if sorted largest first.</summary>
    private static float KthLargest(Span<float> values, int k)
    {
        var target = k - 1;
        int low = 0, high = values.Length - 1;
        while (low < high)
        {
            var pivot = values[low + ((high - low) / 2)];
            int i = low, j = high;
            while (i <= j)
            {
                while (values[i] > pivot) i++;
                while (values[j] < pivot) j--;
                if (i > j) break;
                (values[i], values[j]) = (values[j], values[i]);
                i++;
                j--;
            }
            // Now low..j hold values >= pivot, i..high values <= pivot, and anything between equals the pivot.
            if (target <= j) high = j;
            else if (target >= i) low = i;
            else return values[target];
        }
        return values[target];
    }
}
