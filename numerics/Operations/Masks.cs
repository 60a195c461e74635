using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

/// <summary>
/// Additive masks (0 where allowed, −∞ where blocked) for attention written with plain operations
/// (scores + mask, then Softmax). The fused attention takes an <see cref="AttentionMask"/> instead.
/// </summary>
public static class Masks
{
    /// <summary>[t, t]: query i may see keys 0..i.</summary>
    public static Tensor Causal(int t)
    {
        var mask = new Tensor(t, t);
        var s = mask.Span;
        for (var i = 0; i < t; i++)
            for (var j = i + 1; j < t; j++)
                s[i * t + j] = float.NegativeInfinity;
        return mask;
    }

    /// <summary>[batch, 1, t]: keys at positions ≥ lengths[b] are blocked; broadcasts over queries.</summary>
    public static Tensor Padding(ReadOnlySpan<int> lengths, int t)
    {
        var mask = new Tensor(lengths.Length, 1, t);
        var s = mask.Span;
        for (var b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 0 || lengths[b] > t) throw new ArgumentException($"length {lengths[b]} is outside [0, {t}]");
            for (var j = lengths[b]; j < t; j++) s[b * t + j] = float.NegativeInfinity;
        }
        return mask;
    }
}
