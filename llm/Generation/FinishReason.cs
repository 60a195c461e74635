namespace Mender.Llm.Generation;

/// <summary>Why generation of a sequence stopped.</summary>
public enum FinishReason
{
    /// <summary>An end-of-generation token, a stop string, or the end of constrained output.</summary>
    Stop,

    /// <summary>The token limit (or the context) was reached.</summary>
    Length,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}
