using System.Text;
using LLama;
using Mender.Llm.Runtime;

namespace Mender.Llm.Chat;

/// <summary>
/// Renders a conversation into the prompt text a chat model was trained on, with llama.cpp's own template code: the
/// Jinja template in the model's metadata (recognized the way llama.cpp recognizes it), or a template llama.cpp knows
/// by name (chatml, llama2, llama3, mistral-v7, phi3, gemma, ...). A model without a template, a base model, gets the
/// message contents one after another, separated by blank lines.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>The name of the plain template for models without one.</summary>
    public const string CompletionName = "completion";

    private readonly LlmModel? model;
    private readonly string? builtin;

    private ChatTemplate(string name, LlmModel? model, string? builtin)
    {
        Name = name;
        this.model = model;
        this.builtin = builtin;
    }

    /// <summary>"model" for the model's own template, else the template's name.</summary>
    public string Name { get; }

    /// <summary>True for the plain completion template (no role markers, no assistant header).</summary>
    public bool IsCompletion => this.model is null && this.builtin is null;

    /// <summary>The template named <paramref name="name"/> (null: the model's own, or completion when it has none).</summary>
    public static ChatTemplate For(LlmModel model, string? name = null)
    {
        if (name is null)
            return model.ChatTemplateText is null ? new ChatTemplate(CompletionName, null, null) : new ChatTemplate("model", model, null);
        if (name.Equals(CompletionName, StringComparison.OrdinalIgnoreCase)) return new ChatTemplate(CompletionName, null, null);
        var template = new ChatTemplate(name, null, name);
        try
        {
            template.Render([("user", "x")]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException($"'{name}' is not a chat template llama.cpp knows (for example chatml, llama2, llama3, mistral-v7, phi3, gemma, or {CompletionName})");
        }
        return template;
    }

    /// <summary>The prompt text of a conversation of (role, content) turns, ending with the assistant's header when asked.</summary>
    public string Render(IReadOnlyList<(string Role, string Content)> messages, bool addAssistant = true)
    {
        if (IsCompletion) return string.Join("\n\n", messages.Select(m => m.Content));
        var template = this.model is not null ? new LLamaTemplate(this.model.Weights, strict: false) : new LLamaTemplate(this.builtin!);
        template.AddAssistant = addAssistant;
        foreach (var (role, content) in messages) template.Add(role, content);
        return Encoding.UTF8.GetString(template.Apply());
    }
}
