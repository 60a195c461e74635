using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mender.Preference.Prompts;

namespace Mender.Preference.Extraction;

/// <summary>
/// Renders a review window into the extraction prompt. The item's brand is left out on purpose: the preferences must
/// not name brands, and a brand the model never sees is one it cannot repeat. Long reviews are cut at a word boundary
/// so that a prompt stays within a small model's context; <see cref="Fit"/> shortens further when the model says the
/// prompt still does not fit.
/// </summary>
public sealed class ExtractionPrompt(PromptTemplate template, int maxPreferences = 5, int maxReviewChars = 700)
{
    /// <summary>The most preferences the prompt asks the model for.</summary>
    public int MaxPreferences { get; } = maxPreferences;

    /// <summary>The prompt for one review window, each review cut to the configured length.</summary>
    public string Render(ReviewWindow window) => Render(window, maxReviewChars);

    /// <summary>
    /// The prompt of <paramref name="window"/> shortened until <paramref name="fits"/> accepts it: the oldest reviews are
    /// dropped first (the newest, the step's own, always stays), then long review texts are cut shorter and shorter.
    /// <see cref="FittedPrompt.Fitting"/> says what was left out; a prompt that fits as it is comes back whole.
    /// </summary>
    public FittedPrompt Fit(ReviewWindow window, Func<string, bool> fits)
    {
        var whole = Render(window);
        if (fits(whole)) return new FittedPrompt(whole, null);
        // Fewer reviews never make a longer prompt, so the fewest drops that fit can be searched for.
        int low = 1, high = window.Entries.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (fits(Render(Newest(window, mid)))) high = mid - 1;
            else low = mid + 1;
        }
        var dropped = Math.Min(low, window.Entries.Count - 1);
        var kept = Newest(window, dropped);
        var what = dropped > 0 ? $"dropped the {dropped} oldest of {window.Entries.Count} reviews" : null;
        if (dropped == low) return new FittedPrompt(Render(kept), what);
        for (var limit = maxReviewChars / 2; limit >= MinimumReviewChars; limit /= 2)
        {
            var cut = Render(kept, limit);
            if (!fits(cut) && limit / 2 >= MinimumReviewChars) continue;
            var longer = kept.Entries.Count(e => OneLine(e.Interaction.ReviewText ?? "").Length > limit);
            return new FittedPrompt(cut, Join(what, $"cut {longer} review texts to {limit} characters"));
        }
        return new FittedPrompt(Render(kept), what);
    }

    /// <summary>Reviews are never cut below this: a shorter review says nothing.</summary>
    private const int MinimumReviewChars = 40;

    private static ReviewWindow Newest(ReviewWindow window, int dropped) => new(window.Entries.Skip(dropped).ToList());

    private static string? Join(string? a, string b) => a is null ? b : a + "; " + b;

    private string Render(ReviewWindow window, int reviewChars)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reviews"] = FormatReviews(window, reviewChars),
            ["max_preferences"] = MaxPreferences.ToString(CultureInfo.InvariantCulture),
        };
        return template.Render(values);
    }

    /// <summary>A short, stable fingerprint of a rendered prompt: what exactly a stored row was asked.</summary>
    public static string Hash(string prompt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)).AsSpan(0, 8));

    internal static string FormatReviews(ReviewWindow window, int reviewChars)
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
                .Append(string.IsNullOrWhiteSpace(interaction.ReviewText) ? "(no review text)" : Cut(OneLine(interaction.ReviewText), reviewChars))
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
