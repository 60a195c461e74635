namespace Mender.Llm.Gguf;

/// <summary>Metadata value types of the GGUF format.</summary>
public enum GgufValueType : uint
{
    /// <summary>An unsigned byte.</summary>
    UInt8 = 0,
    /// <summary>A signed byte.</summary>
    Int8 = 1,
    /// <summary>An unsigned 16-bit integer.</summary>
    UInt16 = 2,
    /// <summary>A signed 16-bit integer.</summary>
    Int16 = 3,
    /// <summary>An unsigned 32-bit integer.</summary>
    UInt32 = 4,
    /// <summary>A signed 32-bit integer.</summary>
    Int32 = 5,
    /// <summary>A 32-bit float.</summary>
    Float32 = 6,
    /// <summary>A boolean stored as one byte.</summary>
    Bool = 7,
    /// <summary>A UTF-8 string with a 64-bit length.</summary>
    String = 8,
    /// <summary>An array of values of one element type.</summary>
    Array = 9,
    /// <summary>An unsigned 64-bit integer.</summary>
    UInt64 = 10,
    /// <summary>A signed 64-bit integer.</summary>
    Int64 = 11,
    /// <summary>A 64-bit float.</summary>
    Float64 = 12,
}
