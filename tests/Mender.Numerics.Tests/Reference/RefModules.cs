using Mender.Numerics.Modules;
using Mender.Numerics.Operations;

namespace Mender.Numerics.Tests.Reference;

/// <summary>
/// Float64 versions of the modules, composed from <see cref="Ref"/> and reading parameters by dotted name.
/// Dropout keys are drawn from <paramref name="keys"/> in the same order the engine draws them.
/// </summary>
internal static class RefModules
{
    private static string N(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    public static R Linear(IReadOnlyDictionary<string, R> p, string name, R x, Activation act = Activation.None, double drop = 0, Rng? keys = null) =>
        Ref.Linear(x, p[N(name, "weight")], p.GetValueOrDefault(N(name, "bias")), act, drop, drop > 0 ? keys!.NextUInt64() : 0);

    public static R Norm(IReadOnlyDictionary<string, R> p, string name, R x, TransformerOptions o) =>
        Ref.LayerNorm(x, p[N(name, "weight")], p.GetValueOrDefault(N(name, "bias")), o.NormEps, rms: o.Norm == NormKind.RmsNorm);

    public static R SelfAttention(IReadOnlyDictionary<string, R> p, string name, R x, int heads, int headDim, AttentionMask mask, double drop, Rng? keys)
    {
        var inner = heads * headDim;
        var qkv = Linear(p, N(name, "qkv"), x);
        var key = drop > 0 ? keys!.NextUInt64() : 0;
        var a = Ref.Attention(Ref.Columns(qkv, 0, inner), Ref.Columns(qkv, inner, inner), Ref.Columns(qkv, 2 * inner, inner), heads,
            mask, 1 / Math.Sqrt(headDim), drop, key);
        return Linear(p, N(name, "out"), a);
    }

    public static R CrossAttention(IReadOnlyDictionary<string, R> p, string name, R x, R memory, int heads, int headDim, AttentionMask mask, double drop, Rng? keys)
    {
        var inner = heads * headDim;
        var kv = Linear(p, N(name, "kv"), memory);
        var q = Linear(p, N(name, "q"), x);
        var key = drop > 0 ? keys!.NextUInt64() : 0;
        var a = Ref.Attention(q, Ref.Columns(kv, 0, inner), Ref.Columns(kv, inner, inner), heads, mask, 1 / Math.Sqrt(headDim), drop, key);
        return Linear(p, N(name, "out"), a);
    }

    public static R FeedForward(IReadOnlyDictionary<string, R> p, string name, R x, Activation act, double drop, Rng? keys) =>
        Linear(p, N(name, "down"), Linear(p, N(name, "up"), x, act, drop, keys));

    private static R Residual(R x, R f, double drop, Rng? keys) => Ref.Add(x, drop > 0 ? Ref.Dropout(f, drop, keys!.NextUInt64()) : f);

    public static R EncoderLayer(IReadOnlyDictionary<string, R> p, string name, R x, TransformerOptions o, AttentionMask mask, bool training, Rng? keys)
    {
        var drop = training ? o.Dropout : 0;
        var attnDrop = training ? o.EffectiveAttentionDropout : 0;
        if (o.NormFirst)
        {
            x = Residual(x, SelfAttention(p, N(name, "attention"), Norm(p, N(name, "attention_norm"), x, o), o.Heads, o.HeadDim, mask, attnDrop, keys), drop, keys);
            return Residual(x, FeedForward(p, N(name, "feed_forward"), Norm(p, N(name, "feed_forward_norm"), x, o), o.Activation, drop, keys), drop, keys);
        }
        x = Norm(p, N(name, "attention_norm"), Residual(x, SelfAttention(p, N(name, "attention"), x, o.Heads, o.HeadDim, mask, attnDrop, keys), drop, keys), o);
        return Norm(p, N(name, "feed_forward_norm"), Residual(x, FeedForward(p, N(name, "feed_forward"), x, o.Activation, drop, keys), drop, keys), o);
    }

    public static R DecoderLayer(IReadOnlyDictionary<string, R> p, string name, R x, R memory, TransformerOptions o, AttentionMask memoryMask, bool training, Rng? keys)
    {
        var drop = training ? o.Dropout : 0;
        var attnDrop = training ? o.EffectiveAttentionDropout : 0;
        var causal = AttentionMask.CausalOnly;
        if (o.NormFirst)
        {
            x = Residual(x, SelfAttention(p, N(name, "self_attention"), Norm(p, N(name, "self_attention_norm"), x, o), o.Heads, o.HeadDim, causal, attnDrop, keys), drop, keys);
            x = Residual(x, CrossAttention(p, N(name, "cross_attention"), Norm(p, N(name, "cross_attention_norm"), x, o), memory, o.Heads, o.HeadDim, memoryMask, attnDrop, keys), drop, keys);
            return Residual(x, FeedForward(p, N(name, "feed_forward"), Norm(p, N(name, "feed_forward_norm"), x, o), o.Activation, drop, keys), drop, keys);
        }
        x = Norm(p, N(name, "self_attention_norm"), Residual(x, SelfAttention(p, N(name, "self_attention"), x, o.Heads, o.HeadDim, causal, attnDrop, keys), drop, keys), o);
        x = Norm(p, N(name, "cross_attention_norm"), Residual(x, CrossAttention(p, N(name, "cross_attention"), x, memory, o.Heads, o.HeadDim, memoryMask, attnDrop, keys), drop, keys), o);
        return Norm(p, N(name, "feed_forward_norm"), Residual(x, FeedForward(p, N(name, "feed_forward"), x, o.Activation, drop, keys), drop, keys), o);
    }
}
