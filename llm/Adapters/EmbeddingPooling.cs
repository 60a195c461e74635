namespace Mender.Llm.Adapters;

/// <summary>How token states become one text embedding.</summary>
public enum EmbeddingPooling
{
    /// <summary>Average of the final hidden states of all tokens.</summary>
    Mean,

    /// <summary>The final hidden state of the last token (decoder models summarize the text there).</summary>
    LastToken,
}
