namespace Mender.Llm.Gguf;

/// <summary>
/// One entry of a GGUF tensor table. <paramref name="Dimensions"/> lists ne0 (the fastest-varying, i.e. row length) first,
/// as GGUF stores them; <paramref name="DataOffset"/> is absolute in the file.
/// </summary>
public sealed record GgufTensorInfo(string Name, GgmlType Type, long[] Dimensions, long DataOffset, long ByteSize)
{
    /// <summary>The number of values in the tensor: the product of its dimensions.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Dimensions) n *= d;
            return n;
        }
    }

    /// <summary>The name, type and shape, for messages and listings.</summary>
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Dimensions)}]";
}
