using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Modules;

/// <summary>Every module's forward and gradients (inputs and all parameters) against its float64 reference.</summary>
public sealed class ModuleGradientTests
{
    private static Rng KeysAfter(Rng rng) => new(0) { State = rng.State };

    [Fact]
    public void LinearMatchesReference()
    {
        var m = new Linear(4, 3, new Rng(1));
        RunModule(m, [In(2, 4)], t => m.Forward(t[0]), (x, p) => RefModules.Linear(p, "", x[0]).Reshape(2, 3), seed: 2);
    }

    [Fact]
    public void EmbeddingMatchesReference()
    {
        var m = new Embedding(6, 3, new Rng(1));
        int[] ids = [5, 0, 5, 2];
        RunModule(m, [], _ => m.Forward(ids, 2, 2), (_, p) => Ref.IndexSelect(p["weight"], ids).Reshape(2, 2, 3));
    }

    [Fact]
    public void NormsMatchReference()
    {
        var ln = new LayerNorm(5);
        RunModule(ln, [In(3, 5)], t => ln.Forward(t[0]), (x, p) => Ref.LayerNorm(x[0], p["weight"], p["bias"], 1e-5));
        var rms = new RmsNorm(5);
        RunModule(rms, [In(3, 5)], t => rms.Forward(t[0]), (x, p) => Ref.LayerNorm(x[0], p["weight"], null, 1e-6, rms: true));
    }

    [Fact]
    public void MlpWithDropoutMatchesReference()
    {
        var rng = new Rng(3);
        var m = new Mlp([4, 6, 5, 2], Activation.Gelu, rng, dropout: 0.2f);
        var keys = KeysAfter(rng);
        RunModule(m, [In(3, 4)], t => m.Forward(t[0]), (x, p) =>
        {
            var k = new Rng(0) { State = keys.State };
            var h = RefModules.Linear(p, "0", x[0], Activation.Gelu, 0.2, k);
            h = RefModules.Linear(p, "1", h, Activation.Gelu, 0.2, k);
            return RefModules.Linear(p, "2", h);
        });
    }

    [Fact]
    public void MlpInEvalModeSkipsDropout()
    {
        var m = new Mlp([4, 6, 2], Activation.Relu, new Rng(3), dropout: 0.5f);
        m.Eval();
        RunModule(m, [In(3, 4)], t => m.Forward(t[0]), (x, p) => RefModules.Linear(p, "1", RefModules.Linear(p, "0", x[0], Activation.Relu)));
    }

    [Fact]
    public void SelfAttentionModuleMatchesReference()
    {
        var rng = new Rng(4);
        var m = new MultiHeadAttention(modelDim: 4, heads: 2, headDim: 3, rng, dropout: 0.1f);
        var keys = KeysAfter(rng);
        RunModule(m, [In(2, 3, 4)], t => m.Forward(t[0], AttentionMask.CausalOnly),
            (x, p) => RefModules.SelfAttention(p, "", x[0], 2, 3, AttentionMask.CausalOnly, 0.1, new Rng(0) { State = keys.State }));
    }

    [Fact]
    public void CrossAttentionModuleWithWiderMemoryMatchesReference()
    {
        var m = new MultiHeadAttention(modelDim: 4, heads: 2, headDim: 2, new Rng(5), cross: true, memoryDim: 6);
        var mask = new AttentionMask(KeyLengths: [3, 2]);
        RunModule(m, [In(2, 2, 4), In(2, 3, 6)], t => m.Forward(t[0], t[1], mask),
            (x, p) => RefModules.CrossAttention(p, "", x[0], x[1], 2, 2, mask, 0, null));
    }

    [Fact]
    public void CrossAttentionModuleFoldsShortQueriesAndMatchesReference()
    {
        // One query against eight memory rows: the module takes the folded path.
        var m = new MultiHeadAttention(modelDim: 4, heads: 2, headDim: 4, new Rng(6), cross: true, memoryDim: 3);
        var mask = new AttentionMask(KeyLengths: [8, 5]);
        RunModule(m, [In(2, 1, 4), In(2, 8, 3)], t => m.Forward(t[0], t[1], mask),
            (x, p) => RefModules.CrossAttention(p, "", x[0], x[1], 2, 4, mask, 0, null));
        var xs = Tensor.Normal(new Rng(1), 0, 1, 2, 1, 4);
        var memory = Tensor.Normal(new Rng(2), 0, 1, 2, 8, 3);
        var folded = m.Forward(xs, memory, mask).ToArray();
        var projected = m.Attend(xs, m.ProjectMemory(memory), mask).ToArray();
        GradientCheck.AssertClose(Array.ConvertAll(projected, v => (double)v), folded, 1e-5, "folded vs projected");
    }

    public static TheoryData<bool, NormKind, Activation, float> LayerVariants() => new()
    {
        { true, NormKind.LayerNorm, Activation.Relu, 0.2f },
        { false, NormKind.LayerNorm, Activation.Gelu, 0f },
        { true, NormKind.RmsNorm, Activation.Silu, 0f },
        { false, NormKind.RmsNorm, Activation.Relu, 0.2f },
    };

    private static TransformerOptions Small(bool normFirst, NormKind norm, Activation activation, float dropout) => new()
    {
        ModelDim = 4, Heads = 2, HeadDim = 3, FeedForwardDim = 6, Activation = activation, Dropout = dropout,
        NormFirst = normFirst, Norm = norm,
    };

    [Theory]
    [MemberData(nameof(LayerVariants))]
    public void EncoderLayerMatchesReference(bool normFirst, NormKind norm, Activation activation, float dropout)
    {
        var o = Small(normFirst, norm, activation, dropout);
        var rng = new Rng(6);
        var m = new TransformerEncoderLayer(o, rng);
        var keys = KeysAfter(rng);
        var mask = new AttentionMask(KeyLengths: [3, 2]);
        RunModule(m, [In(2, 3, 4)], t => m.Forward(t[0], mask),
            (x, p) => RefModules.EncoderLayer(p, "", x[0], o, mask, training: true, new Rng(0) { State = keys.State }),
            gradTol: 3e-3);
    }

    [Theory]
    [MemberData(nameof(LayerVariants))]
    public void DecoderLayerMatchesReference(bool normFirst, NormKind norm, Activation activation, float dropout)
    {
        var o = Small(normFirst, norm, activation, dropout);
        var rng = new Rng(7);
        var m = new TransformerDecoderLayer(o, rng);
        var keys = KeysAfter(rng);
        var mask = new AttentionMask(KeyLengths: [4, 2]);
        RunModule(m, [In(2, 3, 4), In(2, 4, 4)], t => m.Forward(t[0], t[1], mask),
            (x, p) => RefModules.DecoderLayer(p, "", x[0], x[1], o, mask, training: true, new Rng(0) { State = keys.State }),
            gradTol: 3e-3);
    }

    [Fact]
    public void EncoderAndDecoderStacksInEvalModeMatchReference()
    {
        var o = Small(true, NormKind.LayerNorm, Activation.Relu, 0.3f);
        var encoder = new TransformerEncoder(o, 2, new Rng(8));
        var decoder = new TransformerDecoder(o, 2, new Rng(9));
        encoder.Eval();
        decoder.Eval();
        RunModule(encoder, [In(1, 3, 4)], t => encoder.Forward(t[0]), (x, p) =>
        {
            var h = RefModules.EncoderLayer(p, "0", x[0], o, default, false, null);
            h = RefModules.EncoderLayer(p, "1", h, o, default, false, null);
            return RefModules.Norm(p, "final_norm", h, o);
        }, gradTol: 3e-3);
        RunModule(decoder, [In(1, 2, 4), In(1, 3, 4)], t => decoder.Forward(t[0], t[1]), (x, p) =>
        {
            var h = RefModules.DecoderLayer(p, "0", x[0], x[1], o, default, false, null);
            h = RefModules.DecoderLayer(p, "1", h, x[1], o, default, false, null);
            return RefModules.Norm(p, "final_norm", h, o);
        }, gradTol: 3e-3);
    }

    [Fact]
    public void ParameterNamesAreDottedPathsInRegistrationOrder()
    {
        var layer = new TransformerEncoderLayer(Small(true, NormKind.LayerNorm, Activation.Relu, 0f), new Rng(1));
        var names = layer.NamedParameters().Select(p => p.Key).ToArray();
        Assert.Equal([
            "attention.qkv.weight", "attention.qkv.bias", "attention.out.weight", "attention.out.bias",
            "attention_norm.weight", "attention_norm.bias",
            "feed_forward.up.weight", "feed_forward.up.bias", "feed_forward.down.weight", "feed_forward.down.bias",
            "feed_forward_norm.weight", "feed_forward_norm.bias"], names);
        Assert.Equal(4 * 18 + 18 + 6 * 4 + 4 + 8 + 4 * 6 + 6 + 6 * 4 + 4 + 8, layer.ParameterCount);
        Assert.All(layer.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void EvalAndTrainPropagateThroughTheTree()
    {
        var layer = new TransformerEncoderLayer(Small(true, NormKind.LayerNorm, Activation.Relu, 0.5f), new Rng(1));
        layer.Eval();
        Assert.False(layer.SelfAttention.Training);
        Assert.False(layer.FeedForward.Up.Training);
        layer.Train();
        Assert.True(layer.FeedForward.Up.Training);
    }
}
