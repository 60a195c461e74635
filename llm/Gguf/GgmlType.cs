namespace Mender.Llm.Gguf;

/// <summary>Tensor element types, numbered as in ggml (gaps are types ggml has since removed).</summary>
public enum GgmlType : uint
{
    /// <summary>32-bit floats.</summary>
    F32 = 0,
    /// <summary>16-bit IEEE floats.</summary>
    F16 = 1,
    /// <summary>4-bit blocks of 32 weights with one scale.</summary>
    Q4_0 = 2,
    /// <summary>4-bit blocks of 32 weights with a scale and a minimum.</summary>
    Q4_1 = 3,
    /// <summary>5-bit blocks of 32 weights with one scale.</summary>
    Q5_0 = 6,
    /// <summary>5-bit blocks of 32 weights with a scale and a minimum.</summary>
    Q5_1 = 7,
    /// <summary>8-bit blocks of 32 weights with one scale.</summary>
    Q8_0 = 8,
    /// <summary>8-bit blocks of 32 weights with a scale and a sum, used for activations.</summary>
    Q8_1 = 9,
    /// <summary>2-bit k-quant super-blocks of 256 weights.</summary>
    Q2_K = 10,
    /// <summary>3-bit k-quant super-blocks of 256 weights.</summary>
    Q3_K = 11,
    /// <summary>4-bit k-quant super-blocks of 256 weights.</summary>
    Q4_K = 12,
    /// <summary>5-bit k-quant super-blocks of 256 weights.</summary>
    Q5_K = 13,
    /// <summary>6-bit k-quant super-blocks of 256 weights.</summary>
    Q6_K = 14,
    /// <summary>8-bit k-quant super-blocks of 256 weights, used for activations.</summary>
    Q8_K = 15,
    /// <summary>2.06-bit i-quant with a lattice codebook.</summary>
    IQ2_XXS = 16,
    /// <summary>2.31-bit i-quant with a lattice codebook.</summary>
    IQ2_XS = 17,
    /// <summary>3.06-bit i-quant with a lattice codebook.</summary>
    IQ3_XXS = 18,
    /// <summary>1.56-bit i-quant.</summary>
    IQ1_S = 19,
    /// <summary>4-bit i-quant with a non-linear codebook, blocks of 32.</summary>
    IQ4_NL = 20,
    /// <summary>3.44-bit i-quant.</summary>
    IQ3_S = 21,
    /// <summary>2.5-bit i-quant.</summary>
    IQ2_S = 22,
    /// <summary>4.25-bit i-quant with a non-linear codebook, super-blocks of 256.</summary>
    IQ4_XS = 23,
    /// <summary>8-bit integers.</summary>
    I8 = 24,
    /// <summary>16-bit integers.</summary>
    I16 = 25,
    /// <summary>32-bit integers.</summary>
    I32 = 26,
    /// <summary>64-bit integers.</summary>
    I64 = 27,
    /// <summary>64-bit floats.</summary>
    F64 = 28,
    /// <summary>1.75-bit i-quant.</summary>
    IQ1_M = 29,
    /// <summary>bfloat16: 16-bit floats with the range of 32-bit ones.</summary>
    BF16 = 30,
    /// <summary>Ternary weights packed at 1.69 bits.</summary>
    TQ1_0 = 34,
    /// <summary>Ternary weights packed at 2 bits.</summary>
    TQ2_0 = 35,
    /// <summary>Microscaling 4-bit floats, blocks of 32 with a shared exponent.</summary>
    MXFP4 = 39,
}
