namespace Mender.Llm.Tokenizers;

/// <summary>What a vocabulary entry is, from tokenizer.ggml.token_type plus the fix-ups llama.cpp applies by token text.</summary>
[Flags]
internal enum TokenAttributes : ushort
{
    None = 0,
    Unknown = 1 << 0,
    Unused = 1 << 1,
    Normal = 1 << 2,
    Control = 1 << 3,
    UserDefined = 1 << 4,
    Byte = 1 << 5,

    /// <summary>When matched as a special token, white space to its left is dropped.</summary>
    StripLeft = 1 << 6,

    /// <summary>When matched as a special token, white space to its right is dropped.</summary>
    StripRight = 1 << 7,
}
