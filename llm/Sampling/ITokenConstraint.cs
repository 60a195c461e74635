namespace Mender.Llm.Sampling;

/// <summary>Restricts which tokens may come next (constrained decoding), updated as tokens are accepted.</summary>
internal interface ITokenConstraint
{
    /// <summary>
    /// Sets the bits of the tokens allowed next, given that at most <paramref name="remainingTokens"/> more tokens
    /// (this one included) may be generated; a constraint keeps enough room to finish within that budget.
    /// </summary>
    void AllowedTokens(int remainingTokens, Span<ulong> allowed);

    /// <summary>Advances past a token that <see cref="AllowedTokens"/> allowed.</summary>
    void Accept(int token);

    /// <summary>The output is finished: nothing but an end-of-generation token may follow.</summary>
    bool IsDone { get; }

    /// <summary>The output is complete (end-of-generation tokens are allowed), though it could go on.</summary>
    bool IsComplete { get; }
}
