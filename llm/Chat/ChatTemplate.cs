using Mender.Llm.Tokenizers;

namespace Mender.Llm.Chat;

/// <summary>
/// Renders a conversation into the prompt text a chat model was trained on. The text contains the model's
/// control-token texts (e.g. &lt;|im_start|&gt;) and is tokenized with special-token parsing on, except inside message
/// contents (<see cref="ChatPrompt.Contents"/>). BOS is left to the tokenizer (add_bos), so templates never write it.
/// </summary>
internal abstract class ChatTemplate
{
    public abstract string Name { get; }

    protected abstract void Render(IReadOnlyList<ChatTurn> messages, ChatPrompt prompt, bool addGenerationPrompt);

    public ChatPrompt Build(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        var prompt = new ChatPrompt();
        Render(messages, prompt, addGenerationPrompt);
        return prompt;
    }

    public string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true) => Build(messages, addGenerationPrompt).Text;

    /// <summary>Renders and tokenizes a conversation (BOS as the tokenizer adds it).</summary>
    public int[] Encode(Tokenizer tokenizer, IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        var prompt = Build(messages, addGenerationPrompt);
        var ids = new List<int>();
        tokenizer.Encode(prompt.Text, ids, addSpecial: true, parseSpecial: true, literal: prompt.Contents);
        return ids.ToArray();
    }

    public static IReadOnlyList<string> Names { get; } = ["chatml", "llama3", "llama2", "mistral", "completion"];

    public static ChatTemplate ByName(string name) => name.ToLowerInvariant() switch
    {
        "chatml" => new ChatMlTemplate(),
        "llama3" => new Llama3Template(),
        "llama2" => new Llama2Template(),
        "mistral" => new MistralTemplate(),
        "completion" => new CompletionTemplate(),
        _ => throw new ArgumentException($"unknown chat template '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>
    /// Picks the template from the model's tokenizer.chat_template by its markers; without one, from the vocabulary's
    /// special tokens; base models without either get plain completion.
    /// </summary>
    public static ChatTemplate Detect(string? chatTemplate, Vocabulary vocabulary)
    {
        var t = chatTemplate ?? "";
        if (t.Contains("<|im_start|>", StringComparison.Ordinal))
            return new ChatMlTemplate { DefaultSystem = DefaultSystemOf(t) };
        if (t.Contains("<|start_header_id|>", StringComparison.Ordinal)) return new Llama3Template();
        if (t.Contains("[INST]", StringComparison.Ordinal))
            return t.Contains("<<SYS>>", StringComparison.Ordinal) ? new Llama2Template() : new MistralTemplate();
        if (vocabulary.TokenId("<|im_start|>") >= 0) return new ChatMlTemplate();
        if (vocabulary.TokenId("<|start_header_id|>") >= 0) return new Llama3Template();
        return new CompletionTemplate();
    }

    /// <summary>Qwen2.5's template adds a system message when the conversation has none.</summary>
    private static string? DefaultSystemOf(string template)
    {
        const string qwen = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
        return template.Contains(qwen, StringComparison.Ordinal) ? qwen : null;
    }

    protected static (string? System, IEnumerable<ChatTurn> Others) SplitSystem(IReadOnlyList<ChatTurn> messages)
    {
        if (messages.Count > 0 && messages[0].Role == "system") return (messages[0].Content, messages.Skip(1));
        return (null, messages);
    }
}

/// <summary>ChatML (Qwen): &lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n per message.</summary>
internal sealed class ChatMlTemplate : ChatTemplate
{
    public override string Name => "chatml";

    /// <summary>System message used when the conversation starts without one.</summary>
    public string? DefaultSystem { get; init; }

    protected override void Render(IReadOnlyList<ChatTurn> messages, ChatPrompt prompt, bool addGenerationPrompt)
    {
        if (DefaultSystem is not null && (messages.Count == 0 || messages[0].Role != "system"))
            Append(prompt, "system", DefaultSystem);
        foreach (var m in messages) Append(prompt, m.Role, m.Content);
        if (addGenerationPrompt) prompt.Markup("<|im_start|>assistant\n");
    }

    private static void Append(ChatPrompt prompt, string role, string content) =>
        prompt.Markup("<|im_start|>").Content(role).Markup("\n").Content(content).Markup("<|im_end|>\n");
}

/// <summary>Llama 3: &lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt; per message.</summary>
internal sealed class Llama3Template : ChatTemplate
{
    public override string Name => "llama3";

    protected override void Render(IReadOnlyList<ChatTurn> messages, ChatPrompt prompt, bool addGenerationPrompt)
    {
        foreach (var m in messages)
            prompt.Markup("<|start_header_id|>").Content(m.Role).Markup("<|end_header_id|>\n\n").Content(m.Content.Trim()).Markup("<|eot_id|>");
        if (addGenerationPrompt) prompt.Markup("<|start_header_id|>assistant<|end_header_id|>\n\n");
    }
}

/// <summary>
/// Llama 2 chat: [INST] &lt;&lt;SYS&gt;&gt;\nsystem\n&lt;&lt;/SYS&gt;&gt;\n\nuser [/INST] answer &lt;/s&gt;&lt;s&gt;[INST] ... The first
/// &lt;s&gt; comes from the tokenizer.
/// </summary>
internal sealed class Llama2Template : ChatTemplate
{
    public override string Name => "llama2";

    protected override void Render(IReadOnlyList<ChatTurn> messages, ChatPrompt prompt, bool addGenerationPrompt)
    {
        var (system, others) = SplitSystem(messages);
        var first = true;
        foreach (var m in others)
        {
            if (m.Role == "assistant")
            {
                prompt.Markup(" ").Content(m.Content.Trim()).Markup(" </s>");
                continue;
            }
            if (!first) prompt.Markup("<s>");
            prompt.Markup("[INST] ");
            if (first && system is not null) prompt.Markup("<<SYS>>\n").Content(system).Markup("\n<</SYS>>\n\n");
            prompt.Content(m.Content.Trim()).Markup(" [/INST]");
            first = false;
        }
    }
}

/// <summary>Mistral instruct: [INST] user [/INST]answer&lt;/s&gt;[INST] ...; a system message is put before the first user message.</summary>
internal sealed class MistralTemplate : ChatTemplate
{
    public override string Name => "mistral";

    protected override void Render(IReadOnlyList<ChatTurn> messages, ChatPrompt prompt, bool addGenerationPrompt)
    {
        var (system, others) = SplitSystem(messages);
        var first = true;
        foreach (var m in others)
        {
            if (m.Role == "assistant")
            {
                prompt.Content(m.Content.Trim()).Markup("</s>");
                continue;
            }
            prompt.Markup("[INST] ");
            if (first && system is not null) prompt.Content(system).Markup("\n\n");
            prompt.Content(m.Content.Trim()).Markup(" [/INST]");
            first = false;
        }
    }
}

/// <summary>For base models without a chat format: the message contents one after another, separated by blank lines.</summary>
internal sealed class CompletionTemplate : ChatTemplate
{
    public override string Name => "completion";

    protected override void Render(IReadOnlyList<ChatTurn> messages, ChatPrompt prompt, bool addGenerationPrompt)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (i > 0) prompt.Markup("\n\n");
            prompt.Content(messages[i].Content);
        }
    }
}
