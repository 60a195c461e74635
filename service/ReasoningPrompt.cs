using System.Globalization;
using System.Text;
using Mender.Data;
using Mender.Preference.Prompts;

namespace Mender.Service;

/// <summary>An item of the history as the prompt shows it, with the user's own rating and review when the dataset has them.</summary>
internal sealed record HistoryEntry(Item Item, Interaction? Interaction);

/// <summary>
/// Renders the <c>Reasoning</c> prompt (variables <c>history</c> and <c>request</c>): the most recent
/// history items with their attributes, ratings and review snippets, and the typed request. It keeps as many recent
/// items as fit the model's context next to the room the thought needs. The shipped prompt puts its fixed instructions
/// before the history, so a local model's prompt cache reuses them from one request to the next.
/// </summary>
internal sealed class ReasoningPrompt(PromptTemplate template)
{
    public const string Name = "Reasoning";
    public const int MaxItems = 10;
    private const int MaxReviewChars = 160;

    public static ReasoningPrompt Load(string? directory) => new(PromptLibrary.Template(directory, Name, "history", "request"));

    /// <summary>The prompt with the last (up to <see cref="MaxItems"/>) history entries that keep it within <paramref name="fits"/>.</summary>
    public string Render(IReadOnlyList<HistoryEntry> history, string? request, Func<string, bool> fits)
    {
        var ask = string.IsNullOrWhiteSpace(request) ? "(nothing typed: suggest what fits the history)" : OneLine(request);
        for (var n = Math.Min(history.Count, MaxItems); n >= 0; n--)
        {
            var text = template.Render(new Dictionary<string, string>
            {
                ["history"] = FormatHistory(history.Skip(history.Count - n).ToList()),
                ["request"] = ask,
            });
            if (fits(text)) return text;
        }
        throw new InvalidOperationException("the reasoning prompt does not fit the model's context even without history items");
    }

    internal static string FormatHistory(IReadOnlyList<HistoryEntry> entries)
    {
        if (entries.Count == 0) return "(no purchases known)";
        var builder = new StringBuilder();
        foreach (var (item, interaction) in entries)
        {
            if (builder.Length > 0) builder.Append('\n');
            builder.Append("- ").Append(OneLine(item.Title));
            var tags = item.Categories.Concat(item.Attributes).Select(OneLine).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
            if (tags.Length > 0) builder.Append(" [").Append(string.Join(", ", tags)).Append(']');
            if (interaction?.Rating is { } rating)
                builder.Append(", ").Append(rating.ToString("0.#", CultureInfo.InvariantCulture)).Append(" stars");
            var words = string.Join(". ", new[] { interaction?.Summary, interaction?.ReviewText }
                .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => OneLine(s!).TrimEnd('.')));
            if (words.Length > 0) builder.Append(": \"").Append(Cut(words, MaxReviewChars)).Append('"');
        }
        return builder.ToString();
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return (cut > max / 2 ? text[..cut] : text[..max]) + " ...";
    }
}
