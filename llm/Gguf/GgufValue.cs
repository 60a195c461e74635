using System.Globalization;

namespace Mender.Llm.Gguf;

/// <summary>
/// A GGUF metadata value. Scalars are held boxed as their CLR type (byte, sbyte, ushort, short, uint, int, float, bool,
/// string, ulong, long, double); arrays as a typed CLR array of their element type, or as <see cref="GgufValue"/>[] for
/// arrays of arrays.
/// </summary>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, GgufValueType elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        Value = value;
    }

    /// <summary>The value's type as the file stores it.</summary>
    public GgufValueType Type { get; }

    /// <summary>The element type when <see cref="Type"/> is <see cref="GgufValueType.Array"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The value itself: a boxed scalar, a string or an array.</summary>
    public object Value { get; }

    /// <summary>True when the value is an array.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>The number of elements of an array value; throws for a scalar.</summary>
    public int ArrayLength => IsArray ? ((Array)Value).Length : throw new InvalidOperationException($"a {Type} value is not an array");

    /// <summary>A scalar value of type <see cref="byte"/>, for writing metadata.</summary>
    public static GgufValue Of(byte v) => new(GgufValueType.UInt8, default, v);
    /// <summary>A scalar value of type <see cref="sbyte"/>, for writing metadata.</summary>
    public static GgufValue Of(sbyte v) => new(GgufValueType.Int8, default, v);
    /// <summary>A scalar value of type <see cref="ushort"/>, for writing metadata.</summary>
    public static GgufValue Of(ushort v) => new(GgufValueType.UInt16, default, v);
    /// <summary>A scalar value of type <see cref="short"/>, for writing metadata.</summary>
    public static GgufValue Of(short v) => new(GgufValueType.Int16, default, v);
    /// <summary>A scalar value of type <see cref="uint"/>, for writing metadata.</summary>
    public static GgufValue Of(uint v) => new(GgufValueType.UInt32, default, v);
    /// <summary>A scalar value of type <see cref="int"/>, for writing metadata.</summary>
    public static GgufValue Of(int v) => new(GgufValueType.Int32, default, v);
    /// <summary>A scalar value of type <see cref="float"/>, for writing metadata.</summary>
    public static GgufValue Of(float v) => new(GgufValueType.Float32, default, v);
    /// <summary>A scalar value of type <see cref="bool"/>, for writing metadata.</summary>
    public static GgufValue Of(bool v) => new(GgufValueType.Bool, default, v);
    /// <summary>A scalar value of type <see cref="string"/>, for writing metadata.</summary>
    public static GgufValue Of(string v) => new(GgufValueType.String, default, v ?? throw new ArgumentNullException(nameof(v)));
    /// <summary>A scalar value of type <see cref="ulong"/>, for writing metadata.</summary>
    public static GgufValue Of(ulong v) => new(GgufValueType.UInt64, default, v);
    /// <summary>A scalar value of type <see cref="long"/>, for writing metadata.</summary>
    public static GgufValue Of(long v) => new(GgufValueType.Int64, default, v);
    /// <summary>A scalar value of type <see cref="double"/>, for writing metadata.</summary>
    public static GgufValue Of(double v) => new(GgufValueType.Float64, default, v);

    /// <summary>An array of <see cref="byte"/> values, for writing metadata.</summary>
    public static GgufValue Array(byte[] v) => new(GgufValueType.Array, GgufValueType.UInt8, v);
    /// <summary>An array of <see cref="sbyte"/> values, for writing metadata.</summary>
    public static GgufValue Array(sbyte[] v) => new(GgufValueType.Array, GgufValueType.Int8, v);
    /// <summary>An array of <see cref="ushort"/> values, for writing metadata.</summary>
    public static GgufValue Array(ushort[] v) => new(GgufValueType.Array, GgufValueType.UInt16, v);
    /// <summary>An array of <see cref="short"/> values, for writing metadata.</summary>
    public static GgufValue Array(short[] v) => new(GgufValueType.Array, GgufValueType.Int16, v);
    /// <summary>An array of <see cref="uint"/> values, for writing metadata.</summary>
    public static GgufValue Array(uint[] v) => new(GgufValueType.Array, GgufValueType.UInt32, v);
    /// <summary>An array of <see cref="int"/> values, for writing metadata.</summary>
    public static GgufValue Array(int[] v) => new(GgufValueType.Array, GgufValueType.Int32, v);
    /// <summary>An array of <see cref="float"/> values, for writing metadata.</summary>
    public static GgufValue Array(float[] v) => new(GgufValueType.Array, GgufValueType.Float32, v);
    /// <summary>An array of <see cref="bool"/> values, for writing metadata.</summary>
    public static GgufValue Array(bool[] v) => new(GgufValueType.Array, GgufValueType.Bool, v);
    /// <summary>An array of <see cref="string"/> values, for writing metadata.</summary>
    public static GgufValue Array(string[] v) => new(GgufValueType.Array, GgufValueType.String, v);
    /// <summary>An array of <see cref="ulong"/> values, for writing metadata.</summary>
    public static GgufValue Array(ulong[] v) => new(GgufValueType.Array, GgufValueType.UInt64, v);
    /// <summary>An array of <see cref="long"/> values, for writing metadata.</summary>
    public static GgufValue Array(long[] v) => new(GgufValueType.Array, GgufValueType.Int64, v);
    /// <summary>An array of <see cref="double"/> values, for writing metadata.</summary>
    public static GgufValue Array(double[] v) => new(GgufValueType.Array, GgufValueType.Float64, v);

    /// <summary>An array whose elements are themselves arrays.</summary>
    public static GgufValue Array(GgufValue[] v)
    {
        foreach (var item in v)
            if (!item.IsArray)
                throw new ArgumentException("every element of an array of arrays must itself be an array", nameof(v));
        return new(GgufValueType.Array, GgufValueType.Array, v);
    }

    /// <summary>The value as a signed integer, if it is an integer scalar that fits.</summary>
    public long? AsInteger() => Value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        _ => null,
    };

    /// <summary>The value as text, for listings of metadata.</summary>
    public override string ToString() => Value switch
    {
        string s => s,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        System.Array a => $"[{ElementType} x {a.Length}]",
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "",
    };
}
