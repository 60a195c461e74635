namespace Mender.Llm.Inference;

/// <summary>Which pairs of a head's dimensions RoPE rotates together.</summary>
internal enum RopeStyle
{
    /// <summary>Adjacent pairs (2i, 2i+1): llama.cpp's "normal" mode, used by llama (its GGUF Q/K rows are permuted to match).</summary>
    Normal,

    /// <summary>Pairs (i, i + n_rot/2): GPT-NeoX style, used by qwen2 and qwen3.</summary>
    Neox,
}
