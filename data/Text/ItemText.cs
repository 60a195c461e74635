using System.Globalization;
using System.Text;
using Mender.Data;

namespace Mender.Data.Text;

/// <summary>
/// The text that stands for an item when it is embedded. One field per line, in this order, each line present only when
/// the dataset has that field for the item:
/// <code>
/// Title: {title}
/// Brand: {brand}
/// Categories: {category 1}, {category 2}, ...
/// Attributes: {attribute 1}, {attribute 2}, ...
/// Price: {price, invariant culture, two decimals}
/// Description: {description, whitespace collapsed, clipped to 1,000 characters at a word boundary}
/// </code>
/// Labels keep the fields apart for an LLM embedder; for the lexical embedder they are corpus-wide constants that
/// inverse document frequency weighs down to almost nothing. The description is clipped so that one verbose item does not
/// drown the title in a bag-of-words model or overflow an LLM's context.
/// </summary>
public static class ItemText
{
    /// <summary>Descriptions are clipped to this many characters.</summary>
    public const int MaxDescriptionChars = 1000;

    /// <summary>The text of <paramref name="item"/> in the layout above.</summary>
    public static string Render(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var text = new StringBuilder(128);
        AppendLine(text, "Title", Collapse(item.Title));
        AppendLine(text, "Brand", Collapse(item.Brand));
        var categories = Distinct(item.Categories);
        if (categories.Length > 0) AppendLine(text, "Categories", string.Join(", ", categories));
        var attributes = Distinct(item.Attributes);
        if (attributes.Length > 0) AppendLine(text, "Attributes", string.Join(", ", attributes));
        if (item.Price is { } price && double.IsFinite(price))
            AppendLine(text, "Price", price.ToString("0.00", CultureInfo.InvariantCulture));
        AppendLine(text, "Description", Clip(Collapse(item.Description), MaxDescriptionChars));
        return text.ToString();
    }

    private static string[] Distinct(IEnumerable<string> values) =>
        values.Select(Collapse).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();

    private static void AppendLine(StringBuilder text, string label, string value)
    {
        if (value.Length == 0) return;
        if (text.Length > 0) text.Append('\n');
        text.Append(label).Append(": ").Append(value);
    }

    /// <summary>Trims and turns every run of whitespace (newlines included) into one space, so a field stays on its line.</summary>
    private static string Collapse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return "";
        var result = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace) result.Append(' ');
            pendingSpace = false;
            result.Append(c);
        }
        return result.ToString();
    }

    private static string Clip(string value, int maxChars)
    {
        if (value.Length <= maxChars) return value;
        var cut = value.LastIndexOf(' ', maxChars);
        return (cut > maxChars / 2 ? value[..cut] : value[..maxChars]) + " ...";
    }
}
