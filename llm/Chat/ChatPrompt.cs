using System.Text;

namespace Mender.Llm.Chat;

/// <summary>
/// A rendered chat prompt: the text, and which parts of it are message contents (as opposed to the template's markers),
/// so that control-token texts inside messages are tokenized as plain text.
/// </summary>
internal sealed class ChatPrompt
{
    private readonly StringBuilder _text = new();
    private readonly List<(int Start, int Length)> _contents = [];

    /// <summary>Template text: markers such as &lt;|im_start|&gt; become control tokens.</summary>
    public ChatPrompt Markup(string text)
    {
        _text.Append(text);
        return this;
    }

    /// <summary>Message text (or a role name): always tokenized as plain text.</summary>
    public ChatPrompt Content(string text)
    {
        if (text.Length > 0) _contents.Add((_text.Length, text.Length));
        _text.Append(text);
        return this;
    }

    public string Text => _text.ToString();

    public IReadOnlyList<(int Start, int Length)> Contents => _contents;
}
