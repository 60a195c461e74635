namespace Mender.Llm.Tokenizers;

/// <summary>The tokenization algorithm named by tokenizer.ggml.model.</summary>
internal enum TokenizerKind
{
    /// <summary>"llama": SentencePiece BPE over scores, with byte fallback.</summary>
    SentencePiece,

    /// <summary>"gpt2": byte-level BPE over merges, after a regex pre-tokenizer.</summary>
    BytePair,

    /// <summary>"bert": WordPiece, greedy longest match.</summary>
    WordPiece,
}
