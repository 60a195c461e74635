using Microsoft.Extensions.AI;

namespace Mender.Llm.Adapters;

/// <summary>
/// What a chat client can say about prompt size before it is asked (reach it with
/// <c>client.GetService&lt;IPromptBudget&gt;()</c>): callers that build long prompts fit them to the context instead of
/// having them refused.
/// </summary>
public interface IPromptBudget
{
    /// <summary>Tokens of context per request: the prompt plus the answer must fit.</summary>
    int ContextLength { get; }

    /// <summary>The number of tokens the conversation takes as a prompt, template included.</summary>
    int CountTokens(IEnumerable<ChatMessage> messages, ChatOptions? options = null);
}
