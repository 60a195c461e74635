using Mender.Service;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Mender.SemanticKernel;

/// <summary>
/// A shopping assistant on Semantic Kernel: a kernel that holds <see cref="MenderPlugin"/> and a chat model that decides
/// for itself when to call <c>recommend</c>, <c>find_items</c>, <c>explain</c> or <c>extract_preferences</c>
/// (automatic function choice). The chat model is any <see cref="IChatClient"/> that can call tools: a local GGUF model
/// through <c>LocalChatClient</c>, which calls them through constrained output, or a hosted one. The conversation is
/// kept from turn to turn, so the model can refine what it asked for before.
/// </summary>
public sealed class MenderAgent
{
    /// <summary>What the assistant is told before the conversation.</summary>
    public const string DefaultInstructions =
        "You are a shopping assistant. To suggest products, call mender_recommend with what the shopper wants in words "
        + "(and their user id when they give one); to look a product up, call mender_find_items. Answer with the products the tools return, "
        + "by title, and never name a product that no tool returned.";

    private readonly Kernel kernel;
    private readonly IChatCompletionService chat;
    private readonly List<string> calls = [];

    /// <param name="chatClient">The model that talks and calls the tools; the caller keeps owning it.</param>
    /// <param name="service">The recommendation service the plugin's functions run on.</param>
    /// <param name="instructions">The system message; null gives <see cref="DefaultInstructions"/>.</param>
    public MenderAgent(IChatClient chatClient, RecommendationService service, string? instructions = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(service);
        kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.AddFromObject(new MenderPlugin(service), "mender");
        // The calls the model asks for are run by the function-invoking client; the kernel functions it runs find their
        // kernel among the services it passes them.
        var services = new ServiceCollection().AddSingleton(kernel).BuildServiceProvider();
        chat = new ChatClientBuilder(chatClient)
            .UseFunctionInvocation(configure: invoking => invoking.FunctionInvoker = (context, cancellationToken) =>
            {
                calls.Add(context.Function.Name);
                return context.Function.InvokeAsync(context.Arguments, cancellationToken);
            })
            .Build(services).AsChatCompletionService(services);
        History = new ChatHistory(instructions ?? DefaultInstructions);
    }

    /// <summary>The conversation so far, with the tool calls and their results.</summary>
    public ChatHistory History { get; }

    /// <summary>The shopper's next message; the reply comes back with the functions called to write it.</summary>
    public async Task<AgentReply> AskAsync(string message, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(message)) throw new ArgumentException("the message is empty", nameof(message));
        History.AddUserMessage(message.Trim());
        calls.Clear();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var reply = await chat.GetChatMessageContentAsync(History, settings, kernel, cancellationToken).ConfigureAwait(false);
        History.Add(reply);
        return new AgentReply(reply.Content ?? "", [.. calls]);
    }
}

/// <summary>The assistant's answer to one message, and the functions (by name, in order) it called to write it.</summary>
public sealed record AgentReply(string Text, IReadOnlyList<string> Calls);
