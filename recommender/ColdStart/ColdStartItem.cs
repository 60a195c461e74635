using System.Text.Json;
using Mender.Data;
using Mender.Data.Text;

namespace Mender.Recommender.ColdStart;

/// <summary>
/// An item added after training, known by its text only (LIGER's cold-start items): the generative model has no SID for
/// it, so it can only be recommended by its embedding's similarity.
/// </summary>
public sealed record ColdStartItem(string ItemId, string Title, IReadOnlyList<string> Attributes, string? Description)
{
    /// <summary>As a catalogue item (id -1: it has no dense id), its attributes kept as tags.</summary>
    public Item ToItem() => new(-1, ItemId, Title, Description: DescriptionWithAttributes()) { Attributes = Attributes };

    /// <summary>
    /// The text that is embedded: the catalogue's item text, with the attributes written into the description so that a
    /// text-only item carries its tags into the embedding (catalogue items carry theirs in their descriptions).
    /// </summary>
    public string Text => ItemText.Render(ToItem());

    private string? DescriptionWithAttributes()
    {
        if (Attributes.Count == 0) return Description;
        var tags = "Attributes: " + string.Join(", ", Attributes) + ".";
        return string.IsNullOrWhiteSpace(Description) ? tags : Description.TrimEnd() + " " + tags;
    }

    /// <summary>
    /// Reads one JSONL line <c>{"item_id", "title", "attributes": [...], "description"?}</c>; <paramref name="where"/>
    /// ("file:line") prefixes every error.
    /// </summary>
    public static ColdStartItem Parse(string line, string where)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: expected a JSON object");
            var id = RequiredString(root, "item_id", where);
            var title = RequiredString(root, "title", where);
            var attributes = new List<string>();
            if (root.TryGetProperty("attributes", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{where}: \"attributes\" must be an array of strings");
                foreach (var value in list.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{where}: \"attributes\" must be an array of strings");
                    var text = value.GetString()!.Trim();
                    if (text.Length > 0 && !attributes.Contains(text, StringComparer.Ordinal)) attributes.Add(text);
                }
            }
            string? description = null;
            if (root.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                if (d.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{where}: \"description\" must be a string");
                description = string.IsNullOrWhiteSpace(d.GetString()) ? null : d.GetString()!.Trim();
            }
            return new ColdStartItem(id, title, attributes, description);
        }
    }

    /// <summary>The item as one JSONL line (the form <see cref="Parse"/> reads).</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["item_id"] = ItemId,
        ["title"] = Title,
        ["attributes"] = Attributes,
        ["description"] = Description,
    });

    private static string RequiredString(JsonElement root, string name, string where)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new InvalidDataException($"{where}: \"{name}\" is missing or not a non-empty string");
        return value.GetString()!.Trim();
    }
}
