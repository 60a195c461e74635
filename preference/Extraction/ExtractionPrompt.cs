using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mender.Preference.Prompts;

namespace Mender.Preference.Extraction;

/// <summary>
/// Renders a review window into the extraction prompt. The item's brand is left out on purpose: the preferences must
/// not name brands, and a brand the model never sees is one it cannot repeat. Long reviews are cut at a word boundary
/// so that a prompt stays within a small model's context.
/// </summary>
public sealed class ExtractionPrompt(PromptTemplate template, int maxPreferences = 5, int maxReviewChars = 700)
{
    public int MaxPreferences { get; } = maxPreferences;

    public string Render(ReviewWindow window)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reviews"] = FormatReviews(window),
            ["max_preferences"] = MaxPreferences.ToString(CultureInfo.InvariantCulture),
        };
        return template.Render(values);
    }

    /// <summary>A short, stable fingerprint of a rendered prompt: what exactly a stored row was asked.</summary>
    public static string Hash(string prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)).AsSpan(0, 8));

    internal string FormatReviews(ReviewWindow window)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < window.Entries.Count; i++)
        {
            var (item, interaction) = (window.Entries[i].Item, window.Entries[i].Interaction);
            if (i > 0) builder.Append('\n');
            builder.Append("Product ").Append(i + 1).Append(": ").Append(OneLine(item.Title)).Append('\n');
            var attributes = item.Categories.Concat(item.Attributes).Select(OneLine).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
            if (attributes.Length > 0)
                builder.Append("Attributes: ").Append(string.Join(", ", attributes)).Append('\n');
            builder.Append("Rating: ")
                .Append(interaction.Rating is { } rating ? rating.ToString("0.#", CultureInfo.InvariantCulture) + " of 5" : "not given")
                .Append('\n');
            if (!string.IsNullOrWhiteSpace(interaction.Summary))
                builder.Append("Review title: ").Append(OneLine(interaction.Summary)).Append('\n');
            builder.Append("Review: ")
                .Append(string.IsNullOrWhiteSpace(interaction.ReviewText) ? "(no review text)" : Cut(OneLine(interaction.ReviewText), maxReviewChars))
                .Append('\n');
        }
        return builder.ToString().TrimEnd('\n');
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return (cut > max / 2 ? text[..cut] : text[..max]) + " ...";
    }
}
