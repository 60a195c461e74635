namespace Mender.Numerics.Operations;

/// <summary>
/// Which keys each query may attend to, applied inside the fused attention without materialising a mask tensor.
/// Causal: query i sees keys up to i + (Tk − Tq) (so a query block appended after cached keys stays causal).
/// KeyPadding: [batch·Tk] flags, true where a key is padding and must be ignored (PyTorch's key_padding_mask).
/// KeyLengths: per batch row, the number of leading valid keys (the rest is padding).
/// A query that can see no key gets a zero output.
/// </summary>
public readonly record struct AttentionMask(bool Causal = false, bool[]? KeyPadding = null, int[]? KeyLengths = null)
{
    /// <summary>Every query sees every key.</summary>
    public static AttentionMask None => default;

    /// <summary>Each query sees only the keys up to its own position.</summary>
    public static AttentionMask CausalOnly => new(Causal: true);

    /// <summary>The number of leading keys query i of batch row b may see before padding and causality cut in.</summary>
    internal int VisibleKeys(int b, int i, int tq, int tk)
    {
        var visible = tk;
        if (KeyLengths is not null) visible = Math.Min(visible, KeyLengths[b]);
        if (Causal) visible = Math.Min(visible, i + 1 + tk - tq);
        return Math.Max(0, visible);
    }

    internal void Validate(int batch, int tk)
    {
        if (KeyPadding is not null && KeyPadding.Length != batch * tk)
            throw new ArgumentException($"key padding mask has {KeyPadding.Length} flags, expected batch·Tk = {batch * tk}");
        if (KeyLengths is not null)
        {
            if (KeyLengths.Length != batch)
                throw new ArgumentException($"key lengths has {KeyLengths.Length} entries for a batch of {batch}");
            foreach (var l in KeyLengths)
                if (l < 0 || l > tk) throw new ArgumentException($"key length {l} is outside [0, {tk}]");
        }
    }
}
