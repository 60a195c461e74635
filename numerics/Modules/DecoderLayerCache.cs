using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// What a decoder layer keeps between incremental decoding steps (<see cref="TransformerDecoderLayer.Step"/>): its
/// cross-attention's key/value projection of the memory, computed once, and its self-attention's keys and values of
/// the positions decoded so far.
/// </summary>
public sealed class DecoderLayerCache(Tensor memoryKv, AttentionMask memoryMask)
{
    /// <summary>The packed key/value projection of the memory [memories, Tk, 2·inner].</summary>
    public Tensor MemoryKv { get; } = memoryKv;

    /// <summary>Which memory positions the cross-attention may see.</summary>
    public AttentionMask MemoryMask { get; } = memoryMask;
    /// <summary>The self-attention's keys and values of the positions decoded so far.</summary>
    public KeyValueCache SelfAttention { get; } = new();
}
