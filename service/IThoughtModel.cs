namespace Mender.Service;

/// <summary>A piece of an answer the model wrote: its text, the prompt it read and the tokens it spent.</summary>
internal readonly record struct Continuation(string Text, int PromptTokens, int GeneratedTokens);

/// <summary>
/// A language model that continues an open answer: given the user's prompt and what the answer says so far (stage
/// headers included), it writes on until a stop string, an end of turn or a token cap. This is what lets the reasoner
/// drive the stages itself instead of trusting a model to follow the format.
/// </summary>
internal interface IThoughtModel : IDisposable
{
    string Name { get; }

    /// <summary>Tokens of context: the prompt, the answer so far and what is generated must fit.</summary>
    int ContextLength { get; }

    /// <summary>Tokens the prompt (and the answer so far) take.</summary>
    int CountTokens(string prompt, string answerSoFar);

    /// <param name="prompt">The prompt the thought continues.</param>
    /// <param name="answerSoFar">What has been generated already, continued rather than restarted.</param>
    /// <param name="maxTokens">Tokens to generate at most.</param>
    /// <param name="stops">Strings that end the generation where they appear.</param>
    /// <param name="onText">Receives the generated text as it becomes final.</param>
    /// <param name="cancellationToken">Stops the generation.</param>
    Task<Continuation> ContinueAsync(string prompt, string answerSoFar, int maxTokens, IReadOnlyList<string> stops,
        Action<string> onText, CancellationToken cancellationToken);
}
